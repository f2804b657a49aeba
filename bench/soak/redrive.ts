/**
 * The soak's last step, as the on-call does it after the fix (runbooks/redrive.md): once the outage is
 * over, each work queue's dead letters that can never succeed (the poison jobs) are archived to S3 and the
 * rest redriven with a canary, through the stack's redrive function, each run followed to its end.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { isFinished, type RedriveAnswer, type RedriveRequest, type RedriveRun } from '../../contract/redrive';

/** What a poison job's failure says (`"fail": true`): the archive takes those, and only those. */
const POISON_FAILURE = 'submitted with "fail": true';
/** Redrive and archive pace: well above the soak's dead letters per queue, within a worker's reach. */
const RATE = 100;
const POLL_MS = 2_000;

async function invoke(lambda: LambdaClient, functionName: string, request: RedriveRequest): Promise<RedriveAnswer> {
  const answer = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(request) }));
  const payload = JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8')) as RedriveAnswer;
  if (answer.FunctionError || payload.outcome === 'error') throw new Error(`the redrive function failed: ${JSON.stringify(payload)}`);
  return payload;
}

/** Starts a run and reads its queue's status until it has ended. */
async function run(lambda: LambdaClient, functionName: string, request: RedriveRequest, deadline: number): Promise<RedriveRun> {
  const started = await invoke(lambda, functionName, request);
  if (started.outcome !== 'started') throw new Error(`${request.action} of ${request.queue} did not start: ${JSON.stringify(started)}`);
  for (;;) {
    const status = await invoke(lambda, functionName, { action: 'status', queue: request.queue });
    const latest = status.outcome === 'status' ? status.run : undefined;
    if (latest?.runId === started.run.runId && isFinished(latest.status)) return latest;
    if (Date.now() > deadline) throw new Error(`${request.action} of ${request.queue} had not ended by its deadline: ${JSON.stringify(latest)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Archives each queue's poison dead letters, then redrives the rest; answers every run, in order. */
export async function redriveAfterFix(lambda: LambdaClient, functionName: string, queues: readonly string[], deadline: number): Promise<RedriveRun[]> {
  const runs: RedriveRun[] = [];
  for (const queue of queues) {
    runs.push(await run(lambda, functionName, { action: 'archive', queue, filter: { messageContains: POISON_FAILURE }, maxPerSecond: RATE, requestedBy: 'soak' }, deadline));
    runs.push(await run(lambda, functionName, { action: 'start', queue, mode: 'selective', canary: 1, maxPerSecond: RATE, requestedBy: 'soak' }, deadline));
  }
  return runs;
}
