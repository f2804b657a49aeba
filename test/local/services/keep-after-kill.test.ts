/**
 * A `kill -9` of `npm start -- --keep` under load loses nothing it accepted. The local cloud runs as
 * `npm start` runs it (tsx local/start.ts, in a process group of its own, as a terminal runs it) and is
 * killed, whole group, while SQS messages and S3 objects are being sent to it. Then its data directory
 * is started again with keep, without functions or pollers, so nothing moves while it is inspected:
 * every message SendMessage answered is processed, still queued (visible or in flight) or in the DLQ,
 * and every object PutObject answered is there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../local/services';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { eventually } from '../../support/eventually';
import { TEST_CREDENTIALS } from './harness';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
/** Synthesis (when the template cache is cold) and start on a loaded machine. */
const START_WITHIN_MS = 120_000;
/** Accepted before the kill. */
const MESSAGES_BEFORE_KILL = 30;
const OBJECTS_BEFORE_KILL = 10;

interface RunningStart {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  /** The last lines it printed, for a failure's message. */
  readonly output: string[];
}

function npmStartKeep(stateDirectory: string): RunningStart {
  const args = ['local/start.ts', '--keep', '--port', '0', '--api-port', '0', '--download-port', '0', '--data-dir', stateDirectory];
  // tsx on this Node (the project's 24), whatever `node` the PATH has.
  const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(process.execPath, [tsx, ...args], { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  // Read, or the pipes fill and stall the cloud; only the last lines are kept.
  const keepTail = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)), output };
}

async function outputsOf(running: RunningStart, stateDirectory: string): Promise<Record<string, string>> {
  return eventually(
    async () => {
      if (running.child.exitCode !== null) throw new Error(`npm start exited (${running.child.exitCode}):\n${running.output.join('\n')}`);
      const text = await readFile(path.join(stateDirectory, 'outputs.json'), 'utf8').catch(() => undefined);
      try {
        return text ? (Object.values(JSON.parse(text))[0] as Record<string, string>) : undefined;
      } catch {
        return undefined; // still being written
      }
    },
    'npm start to write its outputs',
    START_WITHIN_MS,
    100,
  );
}

/** Runs `send` over and over on `concurrency` lanes until one fails (the kill); returns what was accepted. */
async function sendUntilRefused<T>(concurrency: number, send: () => Promise<T>, accepted: T[]): Promise<void> {
  const lane = async () => {
    for (;;) accepted.push(await send());
  };
  await Promise.all(Array.from({ length: concurrency }, () => lane().catch(() => undefined)));
}

interface InspectedQueue {
  readonly messages: { ready: { body: string }[]; delayed: { body: string }[]; inflight: { message: { body: string } }[] };
}

/** The job ids of every message a queue holds (ready, delayed or in flight), read without receiving. */
async function jobIdsIn(services: LocalServices, queueUrl: string): Promise<Set<string>> {
  const name = queueUrl.split('/').pop() as string;
  const response = await fetch(`${services.fauxqsEndpoint}/_fauxqs/queues/${name}`);
  expect(response.status).toBe(200);
  const { ready, delayed, inflight } = ((await response.json()) as InspectedQueue).messages;
  return new Set([...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((message) => (JSON.parse(message.body) as { jobId: string }).jobId));
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('--keep after kill -9', () => {
  it('loses no message or object the local cloud answered 200 for', { timeout: START_WITHIN_MS + 120_000 }, async () => {
    const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-kill-'));
    cleanups.push(() => rm(stateDirectory, { recursive: true, force: true }));
    const running = npmStartKeep(stateDirectory);
    cleanups.push(async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) process.kill(-(running.child.pid as number), 'SIGKILL');
    });
    const outputs = await outputsOf(running, stateDirectory);
    const endpoint = new URL(outputs.JobsQueueUrl).origin;
    const common = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS };
    const sqs = new SQSClient({ ...common, maxAttempts: 1 });
    const s3 = new S3Client({ ...common, forcePathStyle: true, maxAttempts: 1 });
    cleanups.push(async () => [sqs, s3].forEach((client) => client.destroy()));

    const acceptedJobs: string[] = [];
    const acceptedKeys: string[] = [];
    const sendJob = async () => {
      const jobId = randomUUID();
      const message = { jobId, task: 'echo', payload: { kill: 'test' }, submittedAt: new Date().toISOString() };
      await sqs.send(new SendMessageCommand({ QueueUrl: outputs.JobsQueueUrl, MessageBody: JSON.stringify(message) }));
      return jobId;
    };
    const putObject = async () => {
      const key = `kept-after-kill/${randomUUID()}.txt`;
      await s3.send(new PutObjectCommand({ Bucket: outputs.BucketName, Key: key, Body: key }));
      return key;
    };
    const load = Promise.all([sendUntilRefused(4, sendJob, acceptedJobs), sendUntilRefused(2, putObject, acceptedKeys)]);
    // Killed with messages in flight (received by the jobs poller for the worker) and more being sent.
    const inFlight = async () =>
      Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.JobsQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessagesNotVisible);
    await eventually(
      async () => (acceptedJobs.length >= MESSAGES_BEFORE_KILL && acceptedKeys.length >= OBJECTS_BEFORE_KILL && (await inFlight()) > 0 ? true : undefined),
      `${MESSAGES_BEFORE_KILL} messages and ${OBJECTS_BEFORE_KILL} objects accepted, some in flight`,
      60_000,
    );
    process.kill(-(running.child.pid as number), 'SIGKILL');
    await Promise.all([running.exited, load]);

    const template = await synthesizeTemplate({ projectRoot: PROJECT_ROOT });
    const services = await startLocalServices({ port: 0, apiPort: 0, downloadPort: 0, keep: true, dataDir: path.join(stateDirectory, 'data'), template, projectRoot: PROJECT_ROOT });
    cleanups.push(() => services.stop());
    const dynamodb = new DynamoDBClient({ ...common, endpoint: services.endpoint });
    const keptS3 = new S3Client({ ...common, endpoint: services.endpoint, forcePathStyle: true });
    cleanups.push(async () => [dynamodb, keptS3].forEach((client) => client.destroy()));

    const queued = await jobIdsIn(services, outputs.JobsQueueUrl);
    const deadLettered = await jobIdsIn(services, outputs.JobsDeadLetterQueueUrl);
    const whereIs = async (jobId: string) => {
      if (queued.has(jobId)) return 'queued';
      if (deadLettered.has(jobId)) return 'dead-lettered';
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName: outputs.StatusTableName, Key: { id: { S: jobId } } }));
      return Item?.status?.S === 'PROCESSED' ? 'processed' : `lost (status ${Item?.status?.S ?? 'absent'})`;
    };
    const places = await Promise.all(acceptedJobs.map(whereIs));
    expect(places.filter((place) => place.startsWith('lost'))).toEqual([]);

    const missing = [];
    for (const key of acceptedKeys) {
      const found = await keptS3.send(new HeadObjectCommand({ Bucket: outputs.BucketName, Key: key })).then(
        () => true,
        () => false,
      );
      if (!found) missing.push(key);
    }
    expect(missing).toEqual([]);
  });
});
