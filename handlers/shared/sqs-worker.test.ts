import 'aws-sdk-client-mock-vitest/extend';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WORKERS, type WorkerName } from '../../contract/workers';
import { fakeSegment, tracingTracer } from '../../test/support/handlers/fake-tracing';
import { InMemoryPersistenceLayer } from '../../test/support/handlers/in-memory-idempotency';
import { lambdaContext, sqsRecord } from '../../test/support/handlers/lambda-events';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { PermanentError, UnreadableMessageError } from './errors';
import { instrument } from './powertools';
import { createSqsWorker, type WorkerKind } from './sqs-worker';
import { StatusStore } from './status-store';
import type { ItemOutcome } from './work-item';
import { readWorkerSettings, type WorkerSettings } from './worker-settings';

Object.assign(process.env, POWERTOOLS_TEST_ENV);
const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/work';
const SETTINGS: WorkerSettings = {
  queue: 'work',
  queueUrl: QUEUE_URL,
  statusTableName: 'status-table',
  idempotencyTableName: 'idempotency-table',
  idempotencyTtlSeconds: 3600,
  retry: { maxReceiveCount: 3, backoffBaseSeconds: 10 },
};
const RECEIVED_AT = new Date(Date.now() - 2000).toISOString();

/** What a fake item does when run; `slow` waits until the test calls `finishSlowRun`. */
type Behaviour = 'process' | 'duplicate' | 'permanent' | 'transient' | 'slow';

let finishSlowRun: () => void = () => undefined;

/**
 * A tiny worker kind: a message is `{"items": [{"id", "behaviour"}]}`; a body without items is unreadable,
 * naming the item in its `names` field if any. Every run is logged and listed in `runs`.
 */
function fakeKind(name: WorkerName, logger: Logger, runs: string[]): WorkerKind<{ behaviour: Behaviour }, ItemOutcome> {
  return {
    name,
    logLines: { unreadable: 'message rejected: not a fake message', replayed: 'fake item already handled' },
    parse(record) {
      const body = JSON.parse(record.body) as { items?: Array<{ id: string; behaviour: Behaviour }>; names?: string };
      if (!Array.isArray(body.items)) throw new UnreadableMessageError('the body has no items', body.names);
      return body.items.map(({ id, behaviour }) => ({ id, idempotencyKey: ['fake', id], input: { behaviour }, receivedAt: RECEIVED_AT, correlation: { behaviour } }));
    },
    async run(item) {
      runs.push(item.id);
      logger.info('fake run');
      if (item.input.behaviour === 'permanent') throw new PermanentError('bad input');
      if (item.input.behaviour === 'transient') throw new Error('timeout');
      if (item.input.behaviour === 'slow') await new Promise<void>((resolve) => (finishSlowRun = resolve));
      return { status: item.input.behaviour === 'duplicate' ? 'DUPLICATE' : 'PROCESSED', completedAt: new Date().toISOString() };
    },
  };
}

/** A worker of the fake kind with its own instrumentation (queue `work`) and idempotency store. */
function fakeWorker(options: { name?: WorkerName; persistence?: InMemoryPersistenceLayer; settings?: WorkerSettings; traced?: ReturnType<typeof tracingTracer> } = {}) {
  const { name = 'job-worker', persistence = new InMemoryPersistenceLayer(), settings = SETTINGS } = options;
  const instrumentation = instrument(name, process.env, 'work');
  const runs: string[] = [];
  const handler = createSqsWorker(fakeKind(name, instrumentation.logger, runs), {
    sqs: new SQSClient({}),
    store: new StatusStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'status-table').withQueue('work'),
    persistenceStore: persistence,
    settings,
    instrumentation: { ...instrumentation, ...(options.traced ? { tracer: options.traced.tracer } : {}) },
  });
  const invoke = async (...records: SQSRecord[]) => {
    const response = await handler({ Records: records }, lambdaContext(name));
    instrumentation.metrics.publishStoredMetrics();
    return response;
  };
  return { invoke, runs, persistence, logger: instrumentation.logger };
}

const message = (items: Record<string, Behaviour>, options: { receiveCount?: number; messageId?: string } = {}) =>
  sqsRecord(JSON.stringify({ items: Object.entries(items).map(([id, behaviour]) => ({ id, behaviour })) }), options);

let output: CapturedOutput;

beforeEach(() => {
  documents.reset();
  sqs.reset();
  documents.on(UpdateCommand).resolves({});
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  output = captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const metricValues = (name: string) => emittedMetric(output.emf(), name).flatMap(({ document }) => document[name]);
const logLines = (text: string) => output.logs().filter((line) => line.message === text);

/** The status-table writes, as {id, status, values}. */
function statusWrites() {
  return documents.commandCalls(UpdateCommand).map((call) => {
    const { Key, ExpressionAttributeValues: values = {} } = call.args[0].input;
    return { id: Key?.id as string, status: values[':status'] as string, values };
  });
}

describe('SQS worker skeleton', () => {
  it('runs every item of a message and counts the kind’s succeeded and EndToEndLatency, with the queue dimension', async () => {
    const worker = fakeWorker();

    const response = await worker.invoke(message({ a: 'process', b: 'process' }));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(worker.runs).toEqual(['a', 'b']);
    expect(metricValues('JobsSucceeded')).toEqual([1, 1]);
    const [succeeded] = emittedMetric(output.emf(), 'JobsSucceeded');
    expect(succeeded?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage', 'queue']] });
    expect(succeeded?.document).toMatchObject({ service: 'job-worker', stage: 'test', queue: 'work' });
    const latencies = metricValues('EndToEndLatency') as number[];
    expect(latencies).toHaveLength(2);
    for (const latency of latencies) expect(latency).toBeGreaterThanOrEqual(2000);
  });

  it('counts a DUPLICATE outcome as neither succeeded nor failed', async () => {
    const worker = fakeWorker();

    await worker.invoke(message({ a: 'duplicate' }));

    expect(emittedMetric(output.emf(), 'JobsSucceeded')).toHaveLength(0);
    expect(emittedMetric(output.emf(), 'EndToEndLatency')).toHaveLength(0);
    expect(emittedMetric(output.emf(), 'JobsFailed')).toHaveLength(0);
  });

  it('puts messageId, <kind>Id and the item’s ids on its log lines, and takes them off afterwards', async () => {
    const worker = fakeWorker();
    const record = message({ a: 'process', b: 'duplicate' });

    await worker.invoke(record);
    worker.logger.info('after the batch');

    const [first, second] = logLines('fake run');
    expect(first).toMatchObject({ messageId: record.messageId, jobId: 'a', behaviour: 'process', queue: 'work' });
    expect(second).toMatchObject({ messageId: record.messageId, jobId: 'b', behaviour: 'duplicate' });
    const [after] = logLines('after the batch');
    for (const key of ['messageId', 'jobId', 'behaviour']) expect(after).not.toHaveProperty(key);
  });

  it('runs each item in its own X-Ray subsegment, annotated with its ids', async () => {
    const root = fakeSegment('## handler');
    const traced = tracingTracer(root);
    const worker = fakeWorker({ traced });

    await worker.invoke(message({ a: 'process', b: 'permanent' }));

    expect(root.children.map((segment) => [segment.name, segment.closed])).toEqual([
      ['### job', true],
      ['### job', true],
    ]);
    expect(root.children[1]?.errors).toEqual([new PermanentError('bad input')]);
    expect(traced.annotations).toEqual([
      [root.children[0], 'jobId', 'a'],
      [root.children[0], 'behaviour', 'process'],
      [root.children[1], 'jobId', 'b'],
      [root.children[1], 'behaviour', 'permanent'],
    ]);
  });

  it('acknowledges a message that announces no item, running and recording nothing', async () => {
    const worker = fakeWorker();

    const response = await worker.invoke(message({}));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(worker.runs).toEqual([]);
    expect(documents).not.toHaveReceivedAnyCommand();
  });

  it('acknowledges an unreadable body that names no item: counted failed, logged with the reason and the body, nothing recorded', async () => {
    const worker = fakeWorker();
    const record = sqsRecord('{"hello":"world"}');

    const response = await worker.invoke(record);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(documents).not.toHaveReceivedAnyCommand();
    expect(metricValues('JobsFailed')).toEqual([1]);
    expect(logLines('message rejected: not a fake message')).toEqual([
      expect.objectContaining({ level: 'ERROR', messageId: record.messageId, reason: 'the body has no items', bodyExcerpt: record.body }),
    ]);
  });

  it('records an unreadable body on the item it still names: FAILED, permanent, acknowledged, counted failed', async () => {
    const worker = fakeWorker();

    const response = await worker.invoke(sqsRecord('{"names":"item-9"}'));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(statusWrites()).toEqual([
      {
        id: 'item-9',
        status: 'FAILED',
        values: expect.objectContaining({ ':queue': 'work', ':lastError': { class: 'UnreadableMessageError', message: 'the body has no items', permanent: true } }),
      },
    ]);
    expect(metricValues('JobsFailed')).toEqual([1]);
  });

  it('rejects a permanent failure: FAILED, acknowledged, counted failed, never retried; its idempotency record is released', async () => {
    const worker = fakeWorker();

    const response = await worker.invoke(message({ a: 'permanent' }));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(statusWrites()).toEqual([{ id: 'a', status: 'FAILED', values: expect.objectContaining({ ':lastError': expect.objectContaining({ permanent: true }) }) }]);
    expect(sqs).not.toHaveReceivedAnyCommand();
    expect(metricValues('JobsFailed')).toEqual([1]);
    expect(worker.persistence.records.size).toBe(0);
  });

  it('retries a transient failure after a backoff: the message comes back, RecordRetried, not counted failed', async () => {
    const worker = fakeWorker();
    const record = message({ a: 'transient' }, { receiveCount: 2 });

    const response = await worker.invoke(record);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(statusWrites()).toEqual([{ id: 'a', status: 'PROCESSING', values: expect.objectContaining({ ':attempts': 2 }) }]);
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(ChangeMessageVisibilityCommand, { QueueUrl: QUEUE_URL, ReceiptHandle: record.receiptHandle, VisibilityTimeout: 20 });
    expect(metricValues('RecordRetried')).toEqual([1]);
    expect(emittedMetric(output.emf(), 'JobsFailed')).toHaveLength(0);
  });

  it.each([
    ['job-worker', [1]],
    ['file-worker', []],
  ] as const)('dead-letters a transient failure on the final attempt; %s counts it failed: %j', async (name, failed) => {
    const worker = fakeWorker({ name });
    const record = message({ a: 'transient' }, { receiveCount: 3 });

    const response = await worker.invoke(record);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(statusWrites()).toEqual([{ id: 'a', status: 'FAILED', values: expect.objectContaining({ ':attempts': 3 }) }]);
    const [deadLettered] = emittedMetric(output.emf(), 'DeadLettered');
    expect(deadLettered?.definition).toEqual({ Name: 'DeadLettered', Unit: 'Count', StorageResolution: 1 });
    expect(deadLettered?.document).toMatchObject({ service: name, queue: 'work' });
    expect(metricValues(WORKERS[name].failed.name)).toEqual(failed);
  });

  it('runs a repeated delivery of the same business key (a new messageId) once: logged as replayed, counted once', async () => {
    const worker = fakeWorker();

    await worker.invoke(message({ a: 'process' }, { messageId: 'first' }));
    const response = await worker.invoke(message({ a: 'process' }, { messageId: 'redriven' }));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(worker.runs).toEqual(['a']);
    expect(metricValues('JobsSucceeded')).toEqual([1]);
    expect(logLines('fake item already handled')).toEqual([expect.objectContaining({ messageId: 'redriven', jobId: 'a', status: 'PROCESSED' })]);
    expect([...worker.persistence.records.keys()]).toEqual([expect.stringMatching(/^job-worker#/)]);
  });

  it('brings a message back when one of its items must retry, and runs only that item again on the next delivery', async () => {
    const worker = fakeWorker();
    const first = message({ a: 'process', b: 'transient', c: 'process' }, { messageId: 'several' });

    const response = await worker.invoke(first);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'several' }] });
    expect(worker.runs).toEqual(['a', 'b', 'c']);
    expect(metricValues('JobsSucceeded')).toEqual([1, 1]);

    await worker.invoke(message({ a: 'process', b: 'transient', c: 'process' }, { messageId: 'several', receiveCount: 2 }));

    expect(worker.runs).toEqual(['a', 'b', 'c', 'b']);
    expect(logLines('fake item already handled').map((line) => line.jobId)).toEqual(['a', 'c']);
    expect(metricValues('JobsSucceeded')).toEqual([1, 1]);
  });

  it('brings back, recording nothing, an item another delivery is running right now', async () => {
    const persistence = new InMemoryPersistenceLayer();
    const running = fakeWorker({ persistence });
    const other = fakeWorker({ persistence });
    const firstRun = running.invoke(message({ a: 'slow' }));
    await vi.waitFor(() => expect(running.runs).toEqual(['a']));

    const record = message({ a: 'slow' });
    const response = await other.invoke(record);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(other.runs).toEqual([]);
    expect(statusWrites()).toEqual([]);
    expect(logLines('job already in progress in another delivery; retrying later')).toEqual([expect.objectContaining({ level: 'WARN', jobId: 'a' })]);
    finishSlowRun();
    await expect(firstRun).resolves.toEqual({ batchItemFailures: [] });
  });

  it('reports the record failed when even its failure cannot be recorded, so the message is not lost', async () => {
    documents.on(UpdateCommand).rejects(new Error('DynamoDB unavailable'));
    const worker = fakeWorker();
    const record = message({ a: 'permanent' });

    await expect(worker.invoke(record)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it('keeps a finished item’s idempotency record for IDEMPOTENCY_TTL_SECONDS', async () => {
    const env = {
      WORK_QUEUE_NAME: 'work',
      QUEUE_URL,
      STATUS_TABLE_NAME: 'status-table',
      IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
      IDEMPOTENCY_TTL_SECONDS: '1209600',
      MAX_RECEIVE_COUNT: '3',
      RETRY_BACKOFF_BASE_SECONDS: '10',
    };
    const worker = fakeWorker({ settings: readWorkerSettings(env) });

    const before = Date.now() / 1000;
    await worker.invoke(message({ a: 'process' }));
    const after = Date.now() / 1000;

    const [record] = worker.persistence.records.values();
    expect(record?.getStatus()).toBe('COMPLETED');
    expect(record?.expiryTimestamp).toBeGreaterThanOrEqual(Math.floor(before) + 1_209_600);
    expect(record?.expiryTimestamp).toBeLessThanOrEqual(Math.ceil(after) + 1_209_600);
  });
});
