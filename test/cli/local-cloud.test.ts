/**
 * The `tidewatch` CLI as a user runs it, a child process, against the local cloud started here on free
 * ports: status on a quiet stack, a dead letter with its reason, an alarm forced to ALARM, `--json`
 * shapes, usage errors and an unreachable endpoint.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DlqPeekReport } from '../../cli/dlq-peek';
import type { StatusReport } from '../../cli/status';
import { s3Event } from '../support/handlers/s3-notifications';
import type { StatusItem } from '../../contract/status-item';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { closedPort } from '../support/closed-port';
import { DrivenClock } from '../support/driven-clock';
import { runTidewatch, type CliRun } from '../support/tidewatch-cli';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

let cloud: LocalCloud;
let sqs: SQSClient;
let cloudWatch: CloudWatchClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  cloud = await startLocalCloud({
    port: 0,
    apiPort: 0,
    downloadPort: 0,
    stateDirectory: mkdtempSync(join(tmpdir(), 'tidewatch-cli-')),
    pollWaitSeconds: 2,
    // Alarms are evaluated once, at start, and then only if a test moves the clock: states the tests read hold.
    cloudWatchClock: new DrivenClock({ paused: true }),
  });
  const config = { endpoint: cloud.endpoints.aws, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  sqs = new SQSClient(config);
  cloudWatch = new CloudWatchClient(config);
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(config));
});

afterAll(async () => {
  sqs?.destroy();
  cloudWatch?.destroy();
  documents?.destroy();
  await cloud?.stop();
});

type Run = CliRun;

/** Runs `tidewatch <args>` as a child process; `--endpoint-url` and the stage point at the local cloud unless `target` says otherwise. */
function tidewatch(args: readonly string[], target: readonly string[] = ['--endpoint-url', cloud.endpoints.aws, '--stage', 'local']): Promise<Run> {
  return runTidewatch([...args, ...target]);
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;

/** Messages visible or in flight in the work queues. */
async function queuedMessages(): Promise<number> {
  let total = 0;
  for (const queueUrl of [cloud.outputs.FilesQueueUrl, cloud.outputs.JobsQueueUrl]) {
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    total += Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  }
  return total;
}

async function writeFailed(item: Pick<StatusItem, 'id' | 'kind'> & Partial<StatusItem>): Promise<void> {
  const now = new Date().toISOString();
  await documents.send(new PutCommand({ TableName: cloud.outputs.StatusTableName, Item: { status: 'FAILED', createdAt: now, updatedAt: now, ...item } }));
}

describe('tidewatch against the local cloud', () => {
  it('status on a quiet stack: exit 0, both queues listed, no alarm firing, no page', async () => {
    // The files worker takes the s3:TestEvent S3 sends at start: quiet means once it is done.
    await expect.poll(queuedMessages, { timeout: 30_000, interval: 250 }).toBe(0);
    const run = await tidewatch(['status']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Tidewatch-local {2}\(http:\/\/127\.0\.0\.1:\d+, us-east-1\)/);
    expect(run.stdout).toContain('HEALTHY: no alarm firing');
    expect(run.stdout).toMatch(/^ {2}QUEUE {2}VISIBLE {2}IN FLIGHT {2}OLDEST {2}DLQ$/m);
    // The age is the latest minute's maximum: no datapoint yet ('-'), or seconds (the s3:TestEvent just taken).
    expect(run.stdout).toMatch(/^ {2}files +0 +0 +(-|\d+s) +0$/m);
    expect(run.stdout).toMatch(/^ {2}jobs +0 +0 +(-|\d+s) +0$/m);
    expect(run.stdout).toContain('RECENT PAGES (24 h)\n  none');

    const report = json<StatusReport>(await tidewatch(['status', '--json']));
    expect(report).toMatchObject({ stack: 'Tidewatch-local', region: 'us-east-1', endpoint: cloud.endpoints.aws, healthy: true, recentPages: [], problems: [] });
    const age = expect.toBeOneOf([null, expect.any(Number)]);
    expect(report.queues).toEqual([
      { name: 'files', queueUrl: cloud.outputs.FilesQueueUrl, visible: 0, inFlight: 0, oldestMessageAgeSeconds: age, deadLetterQueueUrl: cloud.outputs.FilesDeadLetterQueueUrl, deadLetterDepth: 0 },
      { name: 'jobs', queueUrl: cloud.outputs.JobsQueueUrl, visible: 0, inFlight: 0, oldestMessageAgeSeconds: age, deadLetterQueueUrl: cloud.outputs.JobsDeadLetterQueueUrl, deadLetterDepth: 0 },
    ]);
    expect(report.queues.every((queue) => (queue.oldestMessageAgeSeconds ?? 0) < 60)).toBe(true);
    expect(report.alarms).toMatchObject({ firing: [], inAlarmWithoutPaging: [] });
    expect(report.alarms?.total).toBeGreaterThan(0);
  });

  it('dlq peek shows a dead-lettered job and file with their failure reason, and leaves the messages in place', async () => {
    const jobId = crypto.randomUUID();
    await writeFailed({ id: jobId, kind: 'job', task: 'echo', fail: true, attempts: 3, lastError: { class: 'RequestedFailureError', message: 'fails on every attempt', permanent: false } });
    const job = { jobId, task: 'echo', fail: true, submittedAt: new Date().toISOString() };
    await sqs.send(new SendMessageCommand({ QueueUrl: cloud.outputs.JobsDeadLetterQueueUrl, MessageBody: JSON.stringify(job), MessageAttributes: { jobId: { DataType: 'String', StringValue: jobId } } }));
    const fileId = crypto.randomUUID();
    await writeFailed({ id: fileId, kind: 'file', fileName: 'people.csv', attempts: 3, lastError: { class: 'TimeoutError', message: 'S3 read timed out', permanent: false } });
    const fileEvent = s3Event({ bucket: cloud.outputs.BucketName, encodedKey: `uploads/${fileId}/people.csv` });
    await sqs.send(new SendMessageCommand({ QueueUrl: cloud.outputs.FilesDeadLetterQueueUrl, MessageBody: JSON.stringify(fileEvent) }));

    const jobs = await tidewatch(['dlq', 'peek', 'jobs']);
    expect([jobs.code, jobs.stderr]).toEqual([0, '']);
    expect(jobs.stdout).toMatch(/^JOBS DLQ {2}1 message {2}http/);
    expect(jobs.stdout).toContain(`  job ${jobId} task echo  FAILED after 3 attempts\n    reason   RequestedFailureError: fails on every attempt\n    message  `);
    expect(jobs.stdout).not.toContain('FILES DLQ');

    const both = json<DlqPeekReport>(await tidewatch(['dlq', 'peek', '--json', '--max', '5']));
    expect(both.queues.map((queue) => [queue.name, queue.depth, queue.messages.length])).toEqual([
      ['files', 1, 1],
      ['jobs', 1, 1],
    ]);
    const [fileMessage] = both.queues[0]!.messages;
    expect(fileMessage).toMatchObject({
      messageId: expect.any(String),
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      receiveCount: expect.any(Number),
      about: [{ kind: 'file', id: fileId, s3Key: `uploads/${fileId}/people.csv`, status: 'FAILED', attempts: 3, lastError: { class: 'TimeoutError', message: 'S3 read timed out' } }],
      body: JSON.stringify(fileEvent),
    });
    expect(both.queues[1]!.messages[0]!.about).toEqual([expect.objectContaining({ kind: 'job', id: jobId, status: 'FAILED' })]);

    // Peeking consumed nothing: each message is still there and can be received again at once.
    for (const [queueUrl, messageId] of [
      [cloud.outputs.FilesDeadLetterQueueUrl!, fileMessage!.messageId],
      [cloud.outputs.JobsDeadLetterQueueUrl!, both.queues[1]!.messages[0]!.messageId],
    ]) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }));
      expect(Messages?.map((message) => message.MessageId)).toEqual([messageId]);
    }
    const status = json<StatusReport>(await tidewatch(['status', '--json']));
    expect(status.queues.map((queue) => queue.deadLetterDepth)).toEqual([1, 1]);
  });

  it('status with an alarm forced to ALARM: exit 2, the alarm with its runbook first, and in the recent pages', async () => {
    const alarmName = 'Tidewatch-local-jobs-dead-lettered';
    // The local CloudWatch's clock is paused: the forced state holds, no evaluation can undo it.
    const statusWhileForced = async (args: string[]): Promise<Run> => {
      await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: 'tidewatch CLI test' }));
      return tidewatch(['status', ...args]);
    };

    const run = await statusWhileForced([]);
    expect([run.code, run.stderr]).toEqual([2, '']);
    expect(run.stdout).toMatch(/^\d+ ALARMS? FIRING$/m);
    expect(run.stdout).toMatch(
      new RegExp(`^ {2}CRITICAL {2}${alarmName} {2}since .*\\n {12}A job failed on its final attempt[^\\n]*\\n {12}Runbook: https://\\S+/dead-lettered\\.md$`, 'm'),
    );
    const pages = run.stdout.split('RECENT PAGES (24 h)\n')[1];
    expect(pages).toMatch(new RegExp(`^ {2}\\S+ \\(.+ ago\\) +OK -> ALARM +${alarmName}$`, 'm'));

    const forced = await statusWhileForced(['--json']);
    expect(forced.code).toBe(2);
    const report = json<StatusReport>(forced);
    expect(report.healthy).toBe(false);
    expect(report.alarms?.firing).toContainEqual({
      name: alarmName,
      state: 'ALARM',
      severity: 'critical',
      queue: 'jobs',
      summary: expect.stringMatching(/^A job failed on its final attempt/),
      runbookUrl: expect.stringMatching(/\/dead-lettered\.md$/),
      stateReason: 'tidewatch CLI test',
      since: expect.any(String),
      pages: true,
    });
    expect(report.recentPages).toContainEqual({ alarmName, from: 'OK', to: 'ALARM', reason: 'tidewatch CLI test', time: expect.any(String) });
  });

  it("refuses a queue the stack does not have, naming the stack's queues, exit 1", async () => {
    const run = await tidewatch(['dlq', 'peek', 'uploads']);
    expect([run.code, run.stdout]).toEqual([1, '']);
    expect(run.stderr).toMatch(/^tidewatch: unknown queue "uploads": the stack's work queues are files, jobs\n\nUsage: tidewatch dlq peek/);
  });

  it('refuses a bad flag with a usage message, exit 1', async () => {
    const run = await tidewatch(['status', '--colour']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^tidewatch: Unknown option '--colour'.*\n\nUsage: tidewatch status \[options\]/);
  });

  it('says clearly, without a stack trace, when the endpoint is unreachable or the stack is not there', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await tidewatch(['status'], ['--endpoint-url', endpoint, '--stage', 'local']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`tidewatch: cannot reach ${endpoint} (ECONNREFUSED): is the local cloud running (npm start)?\n`);

    const missing = await tidewatch(['dlq', 'peek', '--json'], ['--endpoint-url', cloud.endpoints.aws, '--stack', 'Tidewatch-nope']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toEqual({ error: 'StackNotFound', message: expect.stringMatching(/^stack Tidewatch-nope not found at http/) });
  });

  it('runs as the package bin: npx tidewatch --help', async () => {
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn('npx', ['tidewatch', '--help'], { cwd: PROJECT_ROOT });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: tidewatch <command> \[options\]/);
  });
});
