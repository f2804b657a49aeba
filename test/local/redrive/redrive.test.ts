/**
 * Dead letters put back to work on the local cloud, through the redrive function as the on-call drives
 * it (the `tidewatch` CLI, the dashboard widget's events), one cloud for the whole file, each scenario on
 * the jobs queue in turn: an outage's dead letter redriven to PROCESSED with the page cleared and one audit
 * record; a redrive of work already done is a no-op; a send SQS refuses for some messages of a batch
 * leaves exactly those; a second redrive is refused while one runs, which a cancel stops; a canary that
 * fails stops the rest; a dead letter archived to S3; and the widget's HTML with a hostile body.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, PurgeQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedriveHistory } from '../../../cli/redrive-history';
import { formatDuration } from '../../../contract/durations';
import type { RedriveAnswer, RedriveRun } from '../../../contract/redrive';
import type { StatusItem } from '../../../contract/status-item';
import { driveUntil, startAlarmCloud, waitFor, type AlarmCloud } from '../alarms/alarm-cloud';
import { jobMessage, logLinesAbout, RedriveDriver } from './redrive-cloud';

/**
 * Each scenario's timeout is the sum of its waits' deadlines: a CLI run (a tsx start, then its calls) may
 * take tens of seconds on a loaded machine, a redrive run its chunk's cold start, a job its three attempts.
 */
const CLI_MS = 60_000;
const RUN_MS = 60_000;
const JOB_MS = 60_000;

let alarms: AlarmCloud;
let redrive: RedriveDriver;
let jobWorker: string;
let dlq: string;
let s3: S3Client;

beforeAll(async () => {
  // Backoff 1 s, 2 s: a failing job reaches the DLQ in seconds.
  alarms = await startAlarmCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 1 } } });
  redrive = new RedriveDriver(alarms.cloud, alarms.sqs);
  jobWorker = alarms.cloud.services.functions.find((fn) => fn.entry.endsWith('handlers/job-worker/index.ts'))!.name;
  dlq = alarms.outputs.JobsDeadLetterQueueUrl!;
  s3 = new S3Client({ endpoint: alarms.cloud.endpoints.aws, region: alarms.cloud.services.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  await redrive.warmUp('jobs');
});

afterAll(async () => {
  s3?.destroy();
  await alarms?.stop();
});

async function submit(job: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${alarms.cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) });
  expect(response.status).toBe(202);
  return String(((await response.json()) as { jobId: string }).jobId);
}

async function jobStatus(jobId: string): Promise<StatusItem> {
  return (await (await fetch(`${alarms.cloud.endpoints.api}jobs/${jobId}`)).json()) as StatusItem;
}

function waitForStatus(jobId: string, statuses: readonly string[], timeoutMs: number): Promise<StatusItem> {
  return waitFor(`job ${jobId} ${statuses.join(' or ')}`, async () => {
    const item = await jobStatus(jobId);
    return statuses.includes(item.status) ? item : undefined;
  }, timeoutMs, 250);
}

async function dlqCounts(): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await alarms.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

async function dlqDepth(): Promise<number> {
  const { visible, inFlight } = await dlqCounts();
  return visible + inFlight;
}

/** Each scenario starts from an empty DLQ, whatever the one before left there. */
function startingFromAnEmptyDlq(): void {
  beforeAll(async () => {
    await alarms.sqs.send(new PurgeQueueCommand({ QueueUrl: dlq }));
    await waitFor('an empty jobs DLQ', async () => ((await dlqDepth()) === 0 ? true : undefined), 10_000);
  });
}

/** How often the job worker ran a job's task to completion (its "job processed" log line). */
function timesProcessed(jobId: string): number {
  return logLinesAbout(alarms.lines, jobWorker, jobId).filter((line) => line.message === 'job processed').length;
}

describe('an outage, its dead letter, the fix, and tidewatch redrive', () => {
  it('a failUntil job dies into the DLQ and pages; after its time, `tidewatch redrive jobs --wait` brings it to PROCESSED, the DLQ to 0 and the page to OK, with one audit record and its ledger entry', async () => {
    // The failure window must outlast three attempts however loaded the machine is: derived from how
    // long a healthy job takes here, end to end, once the worker is warm.
    await waitForStatus(await submit({ task: 'echo', payload: { warm: true } }), ['PROCESSED'], JOB_MS);
    const healthyStart = Date.now();
    await waitForStatus(await submit({ task: 'echo', payload: { measured: true } }), ['PROCESSED'], JOB_MS);
    const jobMs = Date.now() - healthyStart;
    const failUntil = new Date(Date.now() + 6_000 + 6 * jobMs).toISOString();
    const jobId = await submit({ task: 'sum', payload: { numbers: [1, 2, 3] }, failUntil });

    const failed = await waitForStatus(jobId, ['FAILED', 'PROCESSED'], Date.parse(failUntil) - Date.now() + 30_000);
    expect(failed).toMatchObject({ status: 'FAILED', lastError: { class: 'RequestedFailureError', permanent: false } });
    const page = await waitFor('the jobs-dead-lettered page', async () => {
      await alarms.inbox.receive();
      return alarms.inbox.find(alarms.alarmName('jobs-dead-lettered'), 'ALARM');
    }, 60_000);
    expect(page.description).toContain('Queue: jobs');
    await waitFor('the job in the DLQ', async () => ((await dlqDepth()) === 1 ? true : undefined), 30_000, 250);
    const [deadLetterId] = [...(await redrive.visibleMessages(dlq)).keys()];

    // The fix: its time passes (a wall-clock instant, not a guessed wait).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(failUntil) - Date.now())));
    const cli = await redrive.tidewatch(['redrive', 'jobs', '--wait', '--json', '--requested-by', 'on-call test']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const { run } = JSON.parse(cli.stdout) as { run: RedriveRun };
    expect(run).toMatchObject({ queue: 'jobs', kind: 'redrive', mode: 'selective', status: 'COMPLETED', requestedBy: 'on-call test', counts: { moved: 1, failed: 0 } });

    expect(await waitForStatus(jobId, ['PROCESSED'], 60_000)).toMatchObject({ status: 'PROCESSED', result: { sum: 6 } });
    expect(await dlqDepth()).toBe(0);
    await driveUntil(alarms, 'the jobs-dead-lettered OK page', () => alarms.inbox.find(alarms.alarmName('jobs-dead-lettered'), 'OK'), 3 * 60_000);
    const bothOk = async () => {
      const states = await alarms.alarmStates();
      return states[alarms.alarmName('jobs-dead-lettered')] === 'OK' && states[alarms.alarmName('jobs-dlq-not-empty')] === 'OK' ? true : undefined;
    };
    expect(await driveUntil(alarms, 'jobs-dead-lettered and jobs-dlq-not-empty OK', bothOk, 3 * 60_000)).toBe(true);
    expect(timesProcessed(jobId)).toBe(1);

    const history = await redrive.tidewatch(['redrive', 'history', 'jobs', '--json']);
    expect(history.code).toBe(0);
    const ledger = JSON.parse(history.stdout) as RedriveHistory;
    expect(ledger.queues[0]!.runs).toHaveLength(1);
    const [audit] = ledger.queues[0]!.runs;
    expect(audit!.run).toMatchObject({ runId: run.runId, requestedBy: 'on-call test', callerArn: expect.stringMatching(/^arn:aws:/), status: 'COMPLETED' });
    expect(audit!.items).toEqual([expect.objectContaining({ itemId: jobId, oldMessageId: deadLetterId, newMessageId: expect.any(String), status: 'PROCESSED' })]);
    expect(audit!.items[0]!.newMessageId).not.toBe(deadLetterId);
  }, 6 * JOB_MS + 2 * CLI_MS + 3 * 60_000);

  it('redriving work already done is a no-op: the worker skips the job by its id, whatever its new message id', async () => {
    const jobId = await submit({ task: 'word-count', payload: { text: 'already done' } });
    const done = await waitForStatus(jobId, ['PROCESSED'], 60_000);
    // The same job dead-lettered anyway (a duplicate delivery that died): its message, as submit-job wrote it.
    await redrive.sendDeadLetter(dlq, JSON.stringify({ jobId, task: 'word-count', payload: { text: 'already done' }, submittedAt: done.createdAt }));
    const started = await redrive.invoke({ action: 'start', queue: 'jobs', maxPerSecond: 50, requestedBy: 'test' });
    expect(started.outcome).toBe('started');
    const run = await redrive.ended('jobs', (started as { run: RedriveRun }).run.runId, 60_000);
    expect(run.counts).toMatchObject({ moved: 1, failed: 0 });
    await waitFor('the duplicate delivery skipped', () => logLinesAbout(alarms.lines, jobWorker, jobId).find((line) => String(line.message).startsWith('duplicate delivery')), 60_000);
    expect(timesProcessed(jobId)).toBe(1);
    expect(await jobStatus(jobId)).toMatchObject({ status: 'PROCESSED', updatedAt: done.updatedAt });
  }, 3 * JOB_MS + RUN_MS);
});

describe('what SQS refuses, and what the on-call archives', () => {
  startingFromAnEmptyDlq();
  const small = [jobMessage(), jobMessage(), jobMessage()];
  const large = [jobMessage({ payload: { text: 'x'.repeat(2_000) } }), jobMessage({ payload: { text: 'y'.repeat(3_000) } })];
  const largeIds: string[] = [];

  it('a send SQS refuses for some messages of a batch leaves exactly those in the DLQ, counted as failed', async () => {
    const jobsQueue = alarms.outputs.JobsQueueUrl!;
    const { Attributes } = await alarms.sqs.send(new GetQueueAttributesCommand({ QueueUrl: jobsQueue, AttributeNames: ['MaximumMessageSize'] }));
    // The work queue takes smaller messages than its DLQ holds: SendMessageBatch refuses the large ones, entry by entry.
    await alarms.sqs.send(new SetQueueAttributesCommand({ QueueUrl: jobsQueue, Attributes: { MaximumMessageSize: '1024' } }));
    try {
      for (const message of small) await redrive.sendDeadLetter(dlq, message.body);
      for (const message of large) largeIds.push(await redrive.sendDeadLetter(dlq, message.body));
      const cli = await redrive.tidewatch(['redrive', 'jobs', '--rate', '100', '--wait', '--json']);
      expect(cli.code).toBe(2);
      const { run } = JSON.parse(cli.stdout) as { run: RedriveRun };
      expect(run).toMatchObject({ status: 'COMPLETED', counts: { moved: 3, failed: 2 }, result: '3 moved, 2 failed (left in the DLQ)' });
      expect(run.failures.map((failure) => failure.messageId).sort()).toEqual([...largeIds].sort());
      expect(run.failures[0]!.reason).toMatch(/^InvalidParameterValue: .*shorter than 1024 bytes/);
    } finally {
      await alarms.sqs.send(new SetQueueAttributesCommand({ QueueUrl: jobsQueue, Attributes: { MaximumMessageSize: Attributes!.MaximumMessageSize! } }));
    }
    expect([...(await redrive.visibleMessages(dlq)).keys()].sort()).toEqual([...largeIds].sort());
    for (const { jobId } of small) {
      await waitForStatus(jobId, ['PROCESSED'], 60_000);
      expect(timesProcessed(jobId)).toBe(1);
    }
  }, CLI_MS + 2 * JOB_MS);

  it('`tidewatch dlq archive` writes each chosen dead letter to S3 and only then deletes it from the DLQ', async () => {
    const cli = await redrive.tidewatch(['dlq', 'archive', 'jobs', '--message-id', largeIds[0]!, '--message-id', largeIds[1]!, '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const { run } = JSON.parse(cli.stdout) as { run: RedriveRun };
    expect(run).toMatchObject({ kind: 'archive', status: 'COMPLETED', counts: { archived: 2, failed: 0 } });
    expect(await dlqDepth()).toBe(0);
    const date = run.startedAt.slice(0, 10);
    for (const [index, messageId] of largeIds.entries()) {
      const object = await s3.send(new GetObjectCommand({ Bucket: alarms.outputs.BucketName, Key: `dead-letters/jobs/${date}/${messageId}.json` }));
      const archived = JSON.parse(await object.Body!.transformToString()) as Record<string, unknown>;
      expect(archived).toMatchObject({ queue: 'jobs', messageId, runId: run.runId, body: large[index]!.body, itemIds: [large[index]!.jobId], statusItems: [], reason: null });
    }
  }, CLI_MS + RUN_MS);
});

describe('one run per queue at a time', () => {
  startingFromAnEmptyDlq();
  /** Messages moved at 1 a second: a run that outlasts a CLI start on a loaded machine. */
  const SLOW_RUN = 60;

  it('refuses a second redrive while one runs, with its progress; a cancel stops it and leaves the rest in the DLQ; mode all moves the rest', async () => {
    for (let index = 0; index < SLOW_RUN; index++) await redrive.sendDeadLetter(dlq, jobMessage().body);
    const started = (await redrive.invoke({ action: 'start', queue: 'jobs', maxPerSecond: 1, requestedBy: 'slow test' })) as Extract<RedriveAnswer, { outcome: 'started' }>;
    expect(started.outcome).toBe('started');

    const refused = await redrive.tidewatch(['redrive', 'jobs']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`a redrive of jobs is running \\(run ${started.run.runId}\\).*moved \\d+ of ${SLOW_RUN}`));

    const cancel = await redrive.invoke({ action: 'cancel', queue: 'jobs', requestedBy: 'test' });
    expect(cancel).toMatchObject({ outcome: 'status', run: { runId: started.run.runId } });
    const cancelled = await redrive.ended('jobs', started.run.runId, 60_000);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.counts.moved).toBeLessThan(SLOW_RUN);
    const left = SLOW_RUN - cancelled.counts.moved;
    // Read from the queue's attributes: a receive here would leave messages in flight (in the local SQS,
    // until the next receive), and the move task below counts only the visible ones.
    await waitFor('the rest visible in the DLQ', async () => ((await dlqCounts()).visible === left ? true : undefined), 30_000, 250);

    const all = (await redrive.invoke({ action: 'start', queue: 'jobs', mode: 'all', maxPerSecond: 100, requestedBy: 'test' })) as Extract<RedriveAnswer, { outcome: 'started' }>;
    expect(all.outcome).toBe('started');
    const moved = await redrive.ended('jobs', all.run.runId, 60_000);
    expect(moved).toMatchObject({ mode: 'all', status: 'COMPLETED', counts: { moved: left } });
    expect(await dlqDepth()).toBe(0);
  }, CLI_MS + 3 * RUN_MS);
});

describe('a canary', () => {
  startingFromAnEmptyDlq();
  it('whose item fails again stops the redrive, naming the item and why; the rest stay in the DLQ', async () => {
    const jobs = [await submit({ task: 'echo', fail: true }), await submit({ task: 'echo', fail: true })];
    for (const jobId of jobs) await waitForStatus(jobId, ['FAILED'], 60_000);
    await waitFor('both jobs in the DLQ', async () => ((await dlqDepth()) === 2 ? true : undefined), 30_000, 250);

    const started = (await redrive.invoke({ action: 'start', queue: 'jobs', canary: 1, maxPerSecond: 10, requestedBy: 'test' })) as Extract<RedriveAnswer, { outcome: 'started' }>;
    const run = await redrive.ended('jobs', started.run.runId, 90_000);
    expect(run).toMatchObject({ status: 'STOPPED', counts: { moved: 1 }, canary: { size: 1, state: 'failed' } });
    expect(jobs).toContain(run.failures[0]!.itemId);
    expect(run.failures[0]!.reason).toMatch(/^RequestedFailureError: /);
    expect(run.result).toMatch(/^canary failed: /);
    // The other one was never moved.
    const other = jobs.find((jobId) => jobId !== run.failures[0]!.itemId)!;
    expect([...(await redrive.visibleMessages(dlq)).values()].some((body) => body.includes(other))).toBe(true);
    // And the canary item, after its own attempts, is back in the DLQ: nothing lost.
    await waitForStatus(run.failures[0]!.itemId!, ['FAILED'], 60_000);
    await waitFor('the canary item back in the DLQ', async () => ((await redrive.visibleMessages(dlq)).size === 2 ? true : undefined), 60_000, 500);
  }, 3 * JOB_MS + 2 * RUN_MS);
});

describe('the dashboard widget', () => {
  startingFromAnEmptyDlq();
  it('shows a hostile body escaped, with buttons that state the count and the rate before they act', async () => {
    const hostile = jobMessage({ task: '<script>alert(1)</script>', payload: { note: '<img src=x onerror=alert(2)>"\'&' } });
    await redrive.sendDeadLetter(dlq, hostile.body);
    const depth = await dlqDepth();
    const context = { widgetContext: { dashboardName: 'Tidewatch-local-on-call' }, queue: 'jobs', maxPerSecond: 10 };

    const html = await redrive.invoke<string>(context);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The body is JSON: its quote arrives backslash-escaped, and is escaped again for HTML.
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;\\&quot;&#39;&amp;');
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/);
    expect(html).toContain(`jobs DLQ: ${depth} dead letter${depth === 1 ? '' : 's'}</b>`);
    expect(html).toContain('RequestedFailureError: ');
    const arn = `arn:aws:lambda:${alarms.cloud.services.region}:${alarms.cloud.services.accountId}:function:${redrive.functionName}`;
    const actions = [...html.matchAll(/<cwdb-action action="call" endpoint="([^"]+)" display="(popup|widget)"(?: confirmation="([^"]*)")?>([^<]*)<\/cwdb-action>/g)];
    expect(actions.map((action) => action[1])).toEqual(actions.map(() => arn));
    const byButton = new Map(actions.map((action) => [(JSON.parse(action[4]!) as { widget: string }).widget, action]));
    expect([...byButton.keys()].sort()).toEqual(['archive', 'dry-run', 'peek', 'redrive']);
    expect(byButton.get('redrive')![3]).toBe(`Redrive all ${depth} dead letters of jobs back to the jobs queue at 10 messages a second (about ${formatDuration(depth / 10)})?`);
    expect(byButton.get('dry-run')![2]).toBe('popup');
    expect(byButton.get('archive')![3]).toMatch(/^Archive the \d dead letters? shown to s3:\/\/\S+\/dead-letters\/jobs\/ at 10 messages a second, then delete/);

    const peek = await redrive.invoke<string>({ ...context, widget: 'peek' });
    expect(peek).toContain('&lt;script&gt;');
    expect(peek).not.toMatch(/<script|<img/);
    const dryRun = await redrive.invoke<string>({ ...context, widget: 'dry-run' });
    expect(dryRun).toContain(`dry run: ${depth} would move`);
    expect(await dlqDepth()).toBe(depth);
  }, RUN_MS);
});
