/**
 * An item's completion is written once per run, even when the idempotency record that should have
 * recorded it is gone: an execution environment that crashes after the status write and before the
 * record's save leaves the record in progress, it expires with the invocation, and the message comes
 * back. That delivery must be acknowledged as a replay, not run again: no second PROCESSED write, no
 * second success counted. Against a real status table on the local DynamoDB; each idempotency layer
 * here stands for one environment's view, a fresh one for the record lost in the crash.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS } from '../../contract/metrics';
import { WORKERS } from '../../contract/workers';
import { jobWorkerKind } from '../../handlers/job-worker/worker-kind';
import { instrument } from '../../handlers/shared/powertools';
import { createSqsWorker } from '../../handlers/shared/sqs-worker';
import { StatusStore } from '../../handlers/shared/status-store';
import type { WorkerSettings } from '../../handlers/shared/worker-settings';
import type { LocalServices } from '../../local/template/model';
import { startStackServices } from '../support/stack-services';
import { InMemoryPersistenceLayer } from '../support/handlers/in-memory-idempotency';
import { lambdaContext, sqsRecord } from '../support/handlers/lambda-events';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV } from '../support/handlers/powertools-output';

Object.assign(process.env, POWERTOOLS_TEST_ENV);

let services: LocalServices;
let store: StatusStore;
let settings: WorkerSettings;
let sqsClient: SQSClient;

beforeAll(async () => {
  // The job worker's status table and queue (its failures change the visibility of their messages).
  const started = await startStackServices('Fence-local', (stack) => {
    new dynamodb.Table(stack, 'Status', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new sqs.Queue(stack, 'Jobs');
  });
  ({ services } = started);
  const { config, resolve } = started;
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  sqsClient = new SQSClient(config);
  const statusTableName = resolve('Status');
  store = new StatusStore(client, statusTableName).withQueue('jobs');
  settings = {
    queue: 'jobs',
    queueUrl: resolve('Jobs'),
    statusTableName,
    idempotencyTableName: 'unused',
    idempotencyTtlSeconds: 3600,
    retry: { maxReceiveCount: 3, backoffBaseSeconds: 10 },
  };
});

afterAll(async () => {
  sqsClient?.destroy();
  await services?.stop();
});

beforeEach(() => {
  vi.restoreAllMocks();
});

/** One execution environment of the job worker, with its own view of the idempotency records. */
function environment(persistenceStore = new InMemoryPersistenceLayer()) {
  const instrumentation = instrument('job-worker', process.env, 'jobs');
  const handler = createSqsWorker(jobWorkerKind({ store, instrumentation }), { sqs: sqsClient, store, persistenceStore, settings, instrumentation });
  return async (body: string, receiveCount: number) => {
    const response = await handler({ Records: [sqsRecord(body, { receiveCount })] }, lambdaContext('job-worker'));
    instrumentation.metrics.publishStoredMetrics();
    return response;
  };
}

describe('a delivery of an item whose run already completed', () => {
  it('is acknowledged as a replay when the idempotency record was lost: one PROCESSED write, one success', async () => {
    const jobId = crypto.randomUUID();
    const body = JSON.stringify({ jobId, task: 'echo', payload: { n: 1 }, submittedAt: new Date().toISOString() });

    const first = captureOutput();
    expect(await environment()(body, 1)).toEqual({ batchItemFailures: [] });
    const completed = await store.get(jobId);
    expect(completed).toMatchObject({ status: 'PROCESSED', resultJson: '{"n":1}', attempts: 1 });
    expect(emittedMetric(first.emf(), WORKERS['job-worker'].succeeded.name)).toHaveLength(1);
    vi.restoreAllMocks();

    // The crash lost the record: a fresh layer, and the message back with its receive count grown.
    const second = captureOutput();
    expect(await environment()(body, 2)).toEqual({ batchItemFailures: [] });
    expect(await store.get(jobId)).toEqual(completed);
    expect(emittedMetric(second.emf(), WORKERS['job-worker'].succeeded.name)).toHaveLength(0);
    expect(emittedMetric(second.emf(), METRICS.endToEndLatency.name)).toHaveLength(0);
    expect(second.logs().map((line) => line.message)).toContain('duplicate delivery: job already processed, skipped');
  });

  it('still runs an item whose earlier attempts failed (a redrive after a fix)', async () => {
    const jobId = crypto.randomUUID();
    const failing = JSON.stringify({ jobId, task: 'echo', payload: {}, failUntil: new Date(Date.now() + 3_600_000).toISOString(), submittedAt: new Date().toISOString() });
    captureOutput();
    const run = environment();
    expect((await run(failing, 1)).batchItemFailures).toHaveLength(1);
    expect(await store.get(jobId)).toMatchObject({ status: 'PROCESSING', attempts: 1 });

    const fixed = JSON.stringify({ jobId, task: 'echo', payload: {}, submittedAt: new Date().toISOString() });
    expect(await environment()(fixed, 1)).toEqual({ batchItemFailures: [] });
    expect(await store.get(jobId)).toMatchObject({ status: 'PROCESSED', resultJson: '{}' });
  });
});
