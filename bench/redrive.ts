/**
 * Redrive throughput on the local cloud: a DLQ of `--messages` dead letters (10,000 by default) moved back
 * to its work queue three ways in the same run, each from a full DLQ:
 *
 *   naive      a one-message-at-a-time loop in this process: receive 1, send 1, delete 1 (the baseline)
 *   selective  the redrive function's selective mode, at its highest rate, with its ledger entry per message
 *   all        the redrive function's mode all: SQS's message move task (the local cloud's), at 500/s, AWS's cap
 *
 *   npx tsx bench/redrive.ts [--messages 10000] [--network-latency-ms 0]
 *
 * `--network-latency-ms` adds that round trip to every answer of the local AWS endpoint, as a client in
 * AWS has to SQS and DynamoDB (about 5 to 20 ms in a region): without it the local cloud answers in
 * microseconds and CPU alone sets both rates, a different contest from the one the loop and the function
 * meet in AWS.
 *
 * The jobs worker's event source is disabled in the template the cloud runs, so what is measured is the
 * move alone, not the workers consuming it; the work queue is purged between modes. Rates are messages
 * moved per wall-clock second, from the start (the invoke, for the function) to the end (the run's end,
 * read with `status`), the function's environments already started; `run s` is the run's own time, from
 * its record's start to its end.
 * Memory: the peak RSS of this process (the whole local cloud, the function's worker thread and this
 * loop) during each mode, sampled every 100 ms, against the same before it started; the function keeps
 * counts, not messages, so its share stays flat however many it moves.
 * Target: selective ≥ 10 × the naive loop, memory flat.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isFinished, MAX_MOVE_TASK_RATE, MAX_SELECTIVE_RATE, type RedriveAnswer, type RedriveRequest, type RedriveRun } from '../contract/redrive';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import type { SynthesizedStack } from '../local/template/model';
import { synthesizeTemplate } from '../local/template/synthesize';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, 'network-latency-ms': { type: 'string', default: '0' } } });
const MESSAGES = Number(values.messages);
const NETWORK_LATENCY_MS = Number(values['network-latency-ms']);
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
/** Longest a mode may take before the run is declared stuck. */
const MODE_DEADLINE_MS = 30 * 60_000;
const FILL_CONCURRENCY = 8;
const POLL_MS = 200;
/** While the DLQ drains, the run's status is read every this many polls. */
const STATUS_EVERY_ROUNDS = 25;

interface ModeResult {
  readonly mode: string;
  readonly seconds: number;
  readonly runSeconds: number;
  /** CPU of this whole process (every thread) per message moved. */
  readonly cpuMsPerMessage: number;
  readonly peakRssMb: number;
  readonly rssGrowthMb: number;
}

/** The template with every SQS event source disabled: moved messages stay in the work queue, unconsumed. */
function withoutConsumers(stack: SynthesizedStack): SynthesizedStack {
  const resources = Object.fromEntries(
    Object.entries(stack.template.Resources).map(([logicalId, resource]) =>
      resource.Type === 'AWS::Lambda::EventSourceMapping' ? [logicalId, { ...resource, Properties: { ...resource.Properties, Enabled: false } }] : [logicalId, resource],
    ),
  );
  return { ...stack, template: { ...stack.template, Resources: resources } };
}

class Bench {
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly dlq: string;
  readonly queue: string;

  constructor(readonly cloud: LocalCloud) {
    const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
    this.sqs = new SQSClient(common);
    this.lambda = new LambdaClient({ ...common, maxAttempts: 1 });
    this.dlq = cloud.outputs.JobsDeadLetterQueueUrl!;
    this.queue = cloud.outputs.JobsQueueUrl!;
  }

  /** Fills the DLQ with job messages (10 a batch, a few batches in flight). */
  async fill(): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < MESSAGES) {
        const start = next;
        next += 10;
        const entries = Array.from({ length: Math.min(10, MESSAGES - start) }, (_, index) => {
          const jobId = crypto.randomUUID();
          return { Id: String(index), MessageBody: JSON.stringify({ jobId, task: 'echo', payload: { n: start + index }, submittedAt: new Date().toISOString() }), MessageAttributes: { jobId: { DataType: 'String', StringValue: jobId } } };
        });
        await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.dlq, Entries: entries }));
      }
    };
    await Promise.all(Array.from({ length: FILL_CONCURRENCY }, lane));
    if ((await this.depth(this.dlq)) !== MESSAGES) throw new Error(`the DLQ holds ${await this.depth(this.dlq)} messages, not ${MESSAGES}`);
  }

  async depth(url: string): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  }

  async invoke(request: RedriveRequest): Promise<RedriveAnswer> {
    const answer = await this.lambda.send(new InvokeCommand({ FunctionName: this.cloud.outputs.RedriveFunctionName, Payload: JSON.stringify(request) }));
    const payload = JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8')) as RedriveAnswer;
    if (answer.FunctionError) throw new Error(`the redrive function failed: ${JSON.stringify(payload)}`);
    return payload;
  }

  /**
   * Runs the redrive function's mode until its run has ended. While the DLQ still holds messages, its
   * depth is watched (one light SQS call) and the run's `status` (an invocation and its reads of the
   * ledger, the lease and the DLQ) read only every few seconds, to notice a run that failed: watching
   * costs the run little of the CPU it shares.
   */
  async redrive(request: RedriveRequest, deadline: number): Promise<RedriveRun> {
    const answer = await this.invoke(request);
    if (answer.outcome !== 'started') throw new Error(`${request.mode} did not start: ${JSON.stringify(answer)}`);
    for (let round = 0; ; round++) {
      if ((await this.depth(this.dlq)) === 0 || round % STATUS_EVERY_ROUNDS === 0) {
        const status = await this.invoke({ action: 'status', queue: request.queue });
        if (status.outcome === 'status' && status.run?.runId === answer.run.runId && isFinished(status.run.status)) return status.run;
        if (Date.now() > deadline) throw new Error(`${request.mode} had not ended after ${MODE_DEADLINE_MS / 1000} s: ${JSON.stringify(status)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Checks that the DLQ is empty and the work queue holds every message. */
  async checkMoved(): Promise<void> {
    const [left, arrived] = [await this.depth(this.dlq), await this.depth(this.queue)];
    if (left !== 0 || arrived !== MESSAGES) throw new Error(`after the move the DLQ holds ${left} and the work queue ${arrived}, not 0 and ${MESSAGES}`);
  }

  /** The baseline: one message at a time, receive, send, delete. */
  async naive(): Promise<void> {
    for (;;) {
      const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.dlq, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      const [message] = Messages;
      if (!message) return;
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queue, MessageBody: message.Body!, MessageAttributes: message.MessageAttributes }));
      await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.dlq, ReceiptHandle: message.ReceiptHandle }));
    }
  }

  /** One mode from a full DLQ to an empty one, with the process's peak RSS meanwhile. */
  async measure(mode: string, runMode: (deadline: number) => Promise<RedriveRun | undefined>): Promise<ModeResult> {
    await this.sqs.send(new PurgeQueueCommand({ QueueUrl: this.queue }));
    await this.fill();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const cpu = process.cpuUsage();
    let run: RedriveRun | undefined;
    try {
      run = await runMode(Date.now() + MODE_DEADLINE_MS);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    await this.checkMoved();
    // The run's own time, from its start to its end, without the invocation that started it.
    const runSeconds = run?.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : seconds;
    const result = { mode, seconds, runSeconds, cpuMsPerMessage: (user + system) / 1000 / MESSAGES, peakRssMb: peak / 2 ** 20, rssGrowthMb: (peak - baseline) / 2 ** 20 };
    process.stdout.write(`  ${mode}: ${MESSAGES} in ${seconds.toFixed(1)} s (${(MESSAGES / seconds).toFixed(0)}/s; the run itself ${runSeconds.toFixed(1)} s), peak RSS ${result.peakRssMb.toFixed(0)} MB (+${result.rssGrowthMb.toFixed(0)})\n`);
    return result;
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-bench-redrive-'));
  const template = withoutConsumers(await synthesizeTemplate({}));
  const cloud = await startLocalCloud({ template, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, networkLatencyMs: NETWORK_LATENCY_MS });
  const bench = new Bench(cloud);
  process.stdout.write(`Redrive: ${MESSAGES} dead letters of the jobs queue, each mode from a full DLQ; ${NETWORK_LATENCY_MS} ms added to every AWS answer\n`);
  try {
    // A run uses two execution environments at once (its chunk's, and the one answering `status`):
    // two invocations at once start both, so no mode's time holds a cold start.
    await Promise.all([bench.invoke({ action: 'status', queue: 'jobs' }), bench.invoke({ action: 'status', queue: 'jobs' })]);
    const results = [
      await bench.measure('naive', async () => {
        await bench.naive();
        return undefined;
      }),
      await bench.measure('selective', (deadline) => bench.redrive({ action: 'start', queue: 'jobs', mode: 'selective', maxPerSecond: MAX_SELECTIVE_RATE, requestedBy: 'bench' }, deadline)),
      await bench.measure('all', (deadline) => bench.redrive({ action: 'start', queue: 'jobs', mode: 'all', maxPerSecond: MAX_MOVE_TASK_RATE, requestedBy: 'bench' }, deadline)),
    ];
    const naiveRate = MESSAGES / results[0]!.seconds;
    const rows = [['mode', 'seconds', 'messages/s', '× naive', 'run s', 'run messages/s', 'CPU ms/message', 'peak RSS MB', 'RSS growth MB']];
    for (const result of results) {
      const rate = MESSAGES / result.seconds;
      rows.push([result.mode, result.seconds.toFixed(1), rate.toFixed(0), (rate / naiveRate).toFixed(1), result.runSeconds.toFixed(1), (MESSAGES / result.runSeconds).toFixed(0), result.cpuMsPerMessage.toFixed(2), result.peakRssMb.toFixed(0), result.rssGrowthMb.toFixed(0)]);
    }
    process.stdout.write(`\n${table(rows)}\n(CPU and RSS: this whole process, the local cloud and the function's thread included)\n`);
  } finally {
    bench.sqs.destroy();
    bench.lambda.destroy();
    await cloud.stop();
    await rm(stateDirectory, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench/redrive: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
