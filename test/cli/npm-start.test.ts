/**
 * `npm start` as a person runs it: the whole command chain (npm, its shell, the local cloud) in a
 * process group of its own, stopped with a Ctrl-C sent to the group as a terminal sends it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SLEEP_MS } from '../../handlers/job-worker/tasks';
import { SAME_KEYPRESS_MS } from '../../local/terminal/stop-on-signal';
import { eventually } from '../support/eventually';
import { NpmStart } from '../support/npm-start';

/** Start-up on a loaded machine, synthesis of a changed stack included. */
const READY_MS = 240_000;
/** A clean stop: pollers, workers, servers and emulators. */
const STOP_MS = 60_000;
/** A job through the API to its worker, cold starts on a loaded machine included. */
const JOB_MS = 90_000;

let run: NpmStart | undefined;
afterEach(() => run?.dispose());

/** POST /jobs until accepted: a cold start on a loaded machine can outlast the API's timeout (a 500). */
async function submitJob(api: string, job: unknown): Promise<string> {
  const accepted = await eventually(
    async () => {
      const response = await fetch(`${api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) });
      if (response.status >= 500) return undefined;
      expect(response.status).toBe(202);
      return (await response.json()) as { jobId: string };
    },
    'POST /jobs to accept the job',
    JOB_MS,
  );
  return accepted.jobId;
}

/**
 * Invokes the job worker until one invocation ends without timing out, so an environment is warm: on a
 * loaded machine a cold start can outlast the worker's timeout, and its job would then wait out the
 * queue's visibility timeout (minutes) before a second attempt.
 */
async function warmJobWorker(aws: string): Promise<void> {
  const lambda = new LambdaClient({ endpoint: aws, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
    const jobWorker = Functions.find((fn) => fn.FunctionName?.includes('jobsworker'))?.FunctionName;
    expect(jobWorker).toBeDefined();
    await eventually(
      async () => {
        const { Payload } = await lambda.send(new InvokeCommand({ FunctionName: jobWorker, Payload: JSON.stringify({ Records: [] }) }));
        const result = JSON.parse(Buffer.from(Payload ?? []).toString() || 'null') as { errorType?: string } | null;
        return result?.errorType === 'Sandbox.Timedout' ? undefined : true;
      },
      'a warm job worker',
      JOB_MS,
    );
  } finally {
    lambda.destroy();
  }
}

async function jobStatus(api: string, jobId: string): Promise<string> {
  return ((await (await fetch(`${api}jobs/${jobId}`)).json()) as { status: string }).status;
}

describe('npm start', () => {
  it('stops cleanly on one Ctrl-C, though the terminal signals npm and the local cloud alike', { timeout: READY_MS + STOP_MS }, async () => {
    run = new NpmStart();
    await run.ready(READY_MS);
    run.pressCtrlC();
    const exit = await run.exitWithin(STOP_MS);

    expect(run.stderr).not.toMatch(/again/);
    expect(run.stdout).toMatch(/^SIGINT: stopping/m);
    expect(run.stdout).toMatch(/^Stopped\.$/m);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('exits at once, and says so, on a second Ctrl-C pressed after the first', { timeout: READY_MS + 2 * JOB_MS + STOP_MS }, async () => {
    run = new NpmStart();
    const { api, aws } = await run.ready(READY_MS);
    await warmJobWorker(aws);
    // In flight, the job keeps the clean stop waiting for it (up to its grace of 10 s).
    const jobId = await submitJob(api, { task: 'sleep', payload: { ms: MAX_SLEEP_MS } });
    await eventually(async () => ((await jobStatus(api, jobId)) === 'PROCESSING' ? true : undefined), 'the sleep job to be running', JOB_MS);

    run.pressCtrlC();
    await run.waitFor(/^SIGINT: stopping/m, 'the stop to begin', STOP_MS);
    // A person's second keypress, later than the first keypress's own repeated signals.
    await sleep(SAME_KEYPRESS_MS);
    run.pressCtrlC();
    const exit = await run.exitWithin(STOP_MS);

    expect(run.stderr).toContain('SIGINT again: exiting without a clean stop\n');
    expect(run.stdout).not.toMatch(/^Stopped\.$/m);
    expect(exit).toEqual({ code: 1, signal: null });
  });
});
