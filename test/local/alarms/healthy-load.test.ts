/**
 * A healthy load (jobs through POST /jobs and straight onto the jobs queue, small CSV files through
 * presigned uploads) on the local cloud fires nothing: every alarm is evaluated over the minutes they flowed in and stays OK, and
 * no ALARM page goes out. The metrics the alarms watch are checked to be there, so "nothing fired" is
 * never "nothing was measured".
 */
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realPages } from '../../../local/paging-inbox';
import { driveUntil, startAlarmCloud, waitFor, type AlarmCloud } from './alarm-cloud';

/**
 * Jobs through the HTTP API (submit-job) and, to keep the test fast, enqueued as submit-job enqueues them.
 * A hundred and twenty items keep every worker busy across several batches and minutes of evaluation,
 * which is what the alarms judge; a thousand proved nothing more and cost minutes of CPU.
 */
const API_JOBS = 30;
const QUEUED_JOBS = 80;
const JOBS = API_JOBS + QUEUED_JOBS;
const FILES = 10;
const ITEMS = JOBS + FILES;
/** Requests in flight at once: few, so that few execution environments cold-start at the same time on 2 cores. */
const CLIENT_CONCURRENCY = 4;
/**
 * Every item sent, processed and measured: cold starts first, then a second per item. Alone the local
 * cloud needs about a hundredth of that; two suites side by side on 2 cores slow it tens of times.
 */
const PROCESSED_WITHIN_MS = 30_000 + ITEMS * 1_000;
/** Both queues empty once every item is measured: only deletes still in flight. */
const DRAINED_WITHIN_MS = 30_000;
/** Six minutes of CloudWatch time, 36 steps of 10 s, each evaluating every alarm: up to 2 s a step under load. */
const SIX_MINUTES_OF_EVALUATION_MS = 36 * 2_000;

let alarms: AlarmCloud;
let startedAt: number;

beforeAll(async () => {
  // Generous worker timeouts: the duration alarm judges p99 against 80% of the timeout, and on a 2-core
  // machine running two suites a local batch can take twenty-odd seconds of the jobs worker's 30 s. That
  // judges the machine, not the pipeline; every other alarm keeps its thresholds.
  const slowMachine = { workerTimeoutSeconds: 300 };
  alarms = await startAlarmCloud({ context: { tidewatch: { workQueues: { files: slowMachine, jobs: slowMachine } } } });
  startedAt = Date.now();
});

afterAll(async () => {
  await alarms?.stop();
});

async function submitJob(n: number): Promise<void> {
  const response = await fetch(`${alarms.cloud.endpoints.api}jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task: 'echo', payload: { n } }),
  });
  if (response.status !== 202) throw new Error(`POST /jobs answered ${response.status}: ${await response.text()}`);
}

async function uploadFile(n: number): Promise<void> {
  const presign = await fetch(`${alarms.cloud.endpoints.api}presign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: `healthy-${n}.csv`, contentType: 'text/csv' }),
  });
  if (presign.status !== 200) throw new Error(`POST /presign answered ${presign.status}: ${await presign.text()}`);
  const { uploadUrl, headers } = (await presign.json()) as { uploadUrl: string; headers: Record<string, string> };
  // Distinct content per file: equal content would be recorded as a duplicate, not processed.
  const put = await fetch(uploadUrl, { method: 'PUT', headers, body: `id,name\n${n},item ${n}\n` });
  if (put.status !== 200) throw new Error(`PUT to the presigned URL answered ${put.status}: ${await put.text()}`);
}

/** Ten jobs in the jobs queue's message format (see handlers/job-worker/job-message.ts). */
async function enqueueJobs(batch: number): Promise<void> {
  const entries = Array.from({ length: 10 }, (_, i) => ({
    Id: String(i),
    MessageBody: JSON.stringify({ jobId: randomUUID(), task: 'echo', payload: { batch, i }, submittedAt: new Date().toISOString() }),
  }));
  const { Failed = [] } = await alarms.sqs.send(new SendMessageBatchCommand({ QueueUrl: alarms.outputs.JobsQueueUrl, Entries: entries }));
  if (Failed.length > 0) throw new Error(`SendMessageBatch failed: ${JSON.stringify(Failed)}`);
}

/** Runs `work` for 0..count-1 with at most `concurrency` in flight. */
async function inParallel(count: number, concurrency: number, work: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Sum of a metric since the test started, through the CloudWatch API (as the alarms read it). */
async function metricSum(namespace: string, metricName: string, dimensions: Dimension[]): Promise<number> {
  const { Datapoints = [] } = await alarms.cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: dimensions,
      StartTime: new Date(startedAt - 60_000),
      EndTime: new Date(alarms.clock.now() + 60_000),
      Period: 60,
      Statistics: ['Sum'],
    }),
  );
  return Datapoints.reduce((sum, point) => sum + (point.Sum ?? 0), 0);
}

/** A worker's metric series: its kind, the stage, and the queue it consumes. */
const tidewatch = (service: string, queue: string): Dimension[] => [
  { Name: 'service', Value: service },
  { Name: 'stage', Value: 'local' },
  { Name: 'queue', Value: queue },
];

describe(`${ITEMS} healthy items`, () => {
  it('flow through, are measured, and fire nothing: every alarm evaluated over the minutes they flowed in stays OK, no ALARM page', { timeout: PROCESSED_WITHIN_MS + DRAINED_WITHIN_MS + SIX_MINUTES_OF_EVALUATION_MS + 30_000 }, async () => {
    await Promise.all([
      inParallel(API_JOBS, CLIENT_CONCURRENCY, submitJob),
      inParallel(QUEUED_JOBS / 10, 2, enqueueJobs),
      inParallel(FILES, 2, uploadFile),
    ]);
    await waitFor(
      `${JOBS} JobsSucceeded and ${FILES} FilesProcessed`,
      async () =>
        (await metricSum('Tidewatch', 'JobsSucceeded', tidewatch('job-worker', 'jobs'))) === JOBS &&
        (await metricSum('Tidewatch', 'FilesProcessed', tidewatch('file-worker', 'files'))) === FILES
          ? true
          : undefined,
      PROCESSED_WITHIN_MS,
      1_000,
    );
    // Drained: the CloudWatch clock is driven ahead next, and a message still waiting would look minutes old.
    await waitFor('both work queues empty', async () => ((await queuedMessages(alarms.outputs.JobsQueueUrl)) + (await queuedMessages(alarms.outputs.FilesQueueUrl)) === 0 ? true : undefined), DRAINED_WITHIN_MS, 500);

    // Under the dimensions the alarms themselves watch: the runtime's names are the template's resolved names.
    const queueDimensions = await alarmDimensions('jobs-stall', 'deleted');
    const workerDimensions = await alarmDimensions('jobs-worker-errors', 'invocations');
    const apiDimensions = await alarmDimensions('api-5xx', 'requests');
    expect(workerDimensions).toEqual([{ Name: 'FunctionName', Value: jobWorkerName() }]);
    expect(await metricSum('AWS/SQS', 'NumberOfMessagesDeleted', queueDimensions)).toBe(JOBS);
    expect(await metricSum('AWS/Lambda', 'Invocations', workerDimensions)).toBeGreaterThanOrEqual(JOBS / 10);
    expect(await metricSum('AWS/ApiGateway', 'Count', apiDimensions)).toBe(API_JOBS + FILES);

    // Six minutes of CloudWatch time: every 1-minute alarm (up to 5 datapoints) has judged the busy minutes.
    const from = alarms.clock.now();
    await driveUntil(alarms, 'six minutes of evaluations', () => (alarms.clock.now() - from >= 6 * 60_000 ? true : undefined), 7 * 60_000);

    const states = await alarms.alarmStates();
    expect(Object.keys(states).length).toBeGreaterThan(20);
    expect(Object.entries(states).filter(([, state]) => state !== 'OK')).toEqual([]);
    const { AlarmHistoryItems = [] } = await alarms.cloudWatch.send(
      new DescribeAlarmHistoryCommand({ HistoryItemType: 'StateUpdate', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 }),
    );
    expect(AlarmHistoryItems.filter((item) => item.HistorySummary?.includes('to ALARM'))).toEqual([]);
    expect(realPages(alarms.inbox.pages)).toEqual([]);
  });
});

/** Messages in a queue: waiting, in flight or delayed. */
async function queuedMessages(queueUrl: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const { Attributes = {} } = await alarms.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
}

/** The job worker's physical name in the local cloud. */
function jobWorkerName(): string {
  const fn = alarms.cloud.services.functions.find((candidate) => candidate.entry.endsWith('job-worker/index.ts'));
  if (!fn) throw new Error('no job-worker function in the template');
  return fn.name;
}

/** The dimensions of the metric `metricId` in the math of the stack's alarm `id`, as DescribeAlarms gives them. */
async function alarmDimensions(id: string, metricId: string): Promise<Dimension[]> {
  const { MetricAlarms = [] } = await alarms.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarms.alarmName(id)] }));
  const dimensions = MetricAlarms[0]?.Metrics?.find((query) => query.Id === metricId)?.MetricStat?.Metric?.Dimensions;
  if (!dimensions) throw new Error(`alarm ${id} has no metric ${metricId}`);
  return dimensions;
}
