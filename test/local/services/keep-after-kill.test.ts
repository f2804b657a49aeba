/**
 * A `kill -9` of `npm start -- --keep` under load loses nothing it accepted. `npm start` runs as a
 * terminal runs it (test/support/npm-start.ts) and its whole process group is killed while SQS messages
 * and S3 objects are being sent to it. Then its data directory is started again with keep, without
 * functions or pollers, so nothing moves while it is inspected: every message SendMessage answered is
 * processed, still queued (visible or in flight) or in the DLQ, and every object PutObject answered is there.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../local/services';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { eventually } from '../../support/eventually';
import { NpmStart } from '../../support/npm-start';
import { TEST_CREDENTIALS } from './harness';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
/** Synthesis (when the template cache is cold) and start on a loaded machine. */
const START_WITHIN_MS = 240_000;
/** Every process of the group gone once killed. */
const EXIT_WITHIN_MS = 30_000;
/** Accepted before the kill. */
const MESSAGES_BEFORE_KILL = 30;
const OBJECTS_BEFORE_KILL = 10;

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
    const run = new NpmStart(['--keep']);
    cleanups.push(async () => run.dispose());
    const { aws: endpoint } = await run.ready(START_WITHIN_MS);
    const outputs = Object.values(JSON.parse(await readFile(path.join(run.dataDir, 'outputs.json'), 'utf8')) as Record<string, Record<string, string>>)[0];
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
    await run.killNine(EXIT_WITHIN_MS);
    await load;

    const template = await synthesizeTemplate({ projectRoot: PROJECT_ROOT });
    const services = await startLocalServices({ port: 0, apiPort: 0, downloadPort: 0, keep: true, dataDir: path.join(run.dataDir, 'data'), template, projectRoot: PROJECT_ROOT });
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
