import 'aws-sdk-client-mock-vitest/extend';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { lambdaContext, sqsRecord } from '../../test/support/handlers/lambda-events';
import type { JobMessage } from './job-message';

Object.assign(process.env, POWERTOOLS_TEST_ENV, {
  STATUS_TABLE_NAME: 'status-table',
  IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  MAX_RECEIVE_COUNT: '3',
  WORK_QUEUE_NAME: 'jobs',
  IDEMPOTENCY_TTL_SECONDS: String(14 * 24 * 3600),
  RETRY_BACKOFF_BASE_SECONDS: '10',
});
const dynamodb = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const { handler } = await import('./index');

let output: CapturedOutput;

beforeEach(() => {
  dynamodb.reset();
  documents.reset();
  sqs.reset();
  dynamodb.on(PutItemCommand).resolves({});
  dynamodb.on(UpdateItemCommand).resolves({});
  dynamodb.on(DeleteItemCommand).resolves({});
  documents.on(UpdateCommand).resolves({});
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  output = captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function job(overrides: Partial<JobMessage> = {}): JobMessage {
  return { jobId: crypto.randomUUID(), task: 'echo', payload: { hello: 'world' }, submittedAt: new Date(Date.now() - 1500).toISOString(), ...overrides };
}

function event(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

const invoke = (records: SQSRecord[], remainingMs?: number | (() => number)) => handler(event(...records), lambdaContext('job-worker', remainingMs));

/** An invocation that started with 30 s and, by the time its records run, has 6 s left. */
function runningOut(): () => number {
  let calls = 0;
  return () => (calls++ === 0 ? 30_000 : 6_000);
}

/** The status-table UpdateCommands sent for one item, in order, as {status, values}. */
function statusWrites(id: string) {
  return documents
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Key?.id === id)
    .map((input) => ({ status: input.ExpressionAttributeValues?.[':status'], values: input.ExpressionAttributeValues ?? {} }));
}

describe('job worker', () => {
  it('runs the task, records PROCESSED with the result and emits JobsSucceeded and EndToEndLatency', async () => {
    const message = job({ task: 'sum', payload: { numbers: [1, 2, 3.5] } });
    const record = sqsRecord(JSON.stringify(message));

    const response = await invoke([record]);

    expect(response).toEqual({ batchItemFailures: [] });
    const writes = statusWrites(message.jobId);
    expect(writes.map((write) => write.status)).toEqual(['PROCESSING', 'PROCESSED']);
    expect(writes[0]?.values).toMatchObject({ ':attempts': 1, ':task': 'sum', ':queue': 'jobs' });
    expect(writes[1]?.values).toMatchObject({ ':attempts': 1, ':queue': 'jobs' });
    expect(JSON.parse(writes[1]?.values[':resultJson'] as string)).toEqual({ count: 3, sum: 6.5, mean: 6.5 / 3, min: 1, max: 3.5 });
    expect(Date.parse(writes[1]?.values[':completedAt'] as string)).toBeGreaterThan(Date.parse(message.submittedAt));

    const [succeeded] = emittedMetric(output.emf(), 'JobsSucceeded');
    expect(succeeded?.document).toMatchObject({ JobsSucceeded: 1, service: 'job-worker', stage: 'test', queue: 'jobs' });
    expect(succeeded?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage', 'queue']] });
    const [latency] = emittedMetric(output.emf(), 'EndToEndLatency');
    expect(latency?.definition.Unit).toBe('Milliseconds');
    expect(latency?.document.EndToEndLatency).toBeGreaterThanOrEqual(1500);

    const processed = output.logs().find((line) => line.message === 'job processed');
    expect(processed).toMatchObject({ jobId: message.jobId, messageId: record.messageId, service: 'job-worker', task: 'sum' });
  });

  it('keys idempotency on the jobId, not the messageId (a redriven message gets a new one)', async () => {
    const message = job();
    await invoke([sqsRecord(JSON.stringify(message))]);

    const put = dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe('idempotency-table');
    expect(put?.Item?.id?.S).toMatch(/^job-worker#/);
    // The same jobId under another messageId hashes to the same key.
    dynamodb.resetHistory();
    await invoke([sqsRecord(JSON.stringify(message), { messageId: 'redriven-message' })]);
    expect(dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.id).toEqual(put?.Item?.id);
  });

  it('skips a duplicate delivery of a processed job: the task runs once', async () => {
    const message = job();
    await invoke([sqsRecord(JSON.stringify(message))]);
    const saved = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input as UpdateItemCommandInput;
    expect(saved.ExpressionAttributeValues?.[':status']).toEqual({ S: 'COMPLETED' });
    // DynamoDB now holds the completed record: the next conditional put fails and returns it.
    dynamodb.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          ...saved.Key,
          status: { S: 'COMPLETED' },
          expiration: saved.ExpressionAttributeValues?.[':expiry'] ?? { N: '0' },
          data: saved.ExpressionAttributeValues?.[':response_data'] ?? { NULL: true },
        },
      }),
    );

    const response = await invoke([sqsRecord(JSON.stringify(message))]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(statusWrites(message.jobId).filter((write) => write.status === 'PROCESSED')).toHaveLength(1);
    expect(emittedMetric(output.emf(), 'JobsSucceeded')).toHaveLength(1);
    expect(output.logs().some((line) => line.message === 'duplicate delivery: job already processed, skipped' && line.jobId === message.jobId)).toBe(true);
  });

  it('reports only the failed record of a partial batch failure', async () => {
    const good = sqsRecord(JSON.stringify(job()));
    const bad = sqsRecord(JSON.stringify(job({ fail: true })));

    const response = await invoke([good, bad]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(ChangeMessageVisibilityCommand, { ReceiptHandle: bad.receiptHandle });
    // Each record's log lines carry that record's correlation ids.
    const retried = output.logs().find((line) => line.message === 'record failed: transient, retrying after backoff');
    expect(retried).toMatchObject({ messageId: bad.messageId, jobId: JSON.parse(bad.body).jobId });
    expect(output.logs().find((line) => line.message === 'job processed')).toMatchObject({ messageId: good.messageId, jobId: JSON.parse(good.body).jobId });
  });

  it.each([
    [1, 10],
    [2, 20],
  ])('retries a fail:true job on receive %i with a %i s backoff and records the attempt', async (receiveCount, seconds) => {
    const message = job({ fail: true });
    const record = sqsRecord(JSON.stringify(message), { receiveCount });

    const response = await invoke([record]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      QueueUrl: process.env.QUEUE_URL,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    });
    const last = statusWrites(message.jobId).at(-1);
    expect(last?.status).toBe('PROCESSING');
    expect(last?.values).toMatchObject({ ':attempts': receiveCount, ':lastError': { class: 'RequestedFailureError', permanent: false } });
    expect(emittedMetric(output.emf(), 'RecordRetried')).toHaveLength(1);
    expect(emittedMetric(output.emf(), 'JobsFailed')).toHaveLength(0);
    // The failed run released its idempotency record, so the retry runs the job again.
    expect(dynamodb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
  });

  it('fails a job transiently before its failUntil, saying until when, and runs it normally from then on', async () => {
    const failUntil = new Date(Date.now() + 60_000).toISOString();
    const early = job({ task: 'sum', payload: { numbers: [1, 2] }, failUntil });
    const earlyRecord = sqsRecord(JSON.stringify(early));

    expect(await invoke([earlyRecord])).toEqual({ batchItemFailures: [{ itemIdentifier: earlyRecord.messageId }] });
    expect(statusWrites(early.jobId).at(-1)).toMatchObject({
      status: 'PROCESSING',
      values: { ':lastError': { class: 'RequestedFailureError', permanent: false, message: expect.stringMatching(new RegExp(`^the job fails until ${failUntil} \\("failUntil"\\)`)) } },
    });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { ReceiptHandle: earlyRecord.receiptHandle, VisibilityTimeout: 10 });

    const due = job({ task: 'sum', payload: { numbers: [1, 2] }, failUntil: new Date(Date.now() - 1).toISOString() });
    expect(await invoke([sqsRecord(JSON.stringify(due))])).toEqual({ batchItemFailures: [] });
    expect(statusWrites(due.jobId).at(-1)?.status).toBe('PROCESSED');
  });

  it('on the final attempt records FAILED and emits the high-resolution DeadLettered metric', async () => {
    const message = job({ fail: true });
    const record = sqsRecord(JSON.stringify(message), { receiveCount: 3 });

    const response = await invoke([record]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    // Made visible at once so SQS moves it to the DLQ on the next receive.
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.VisibilityTimeout)).toEqual([0]);
    const last = statusWrites(message.jobId).at(-1);
    expect(last?.status).toBe('FAILED');
    expect(last?.values).toMatchObject({ ':attempts': 3, ':lastError': { class: 'RequestedFailureError' } });

    const [deadLettered] = emittedMetric(output.emf(), 'DeadLettered');
    expect(deadLettered?.definition).toEqual({ Name: 'DeadLettered', Unit: 'Count', StorageResolution: 1 });
    expect(deadLettered?.document).toMatchObject({ DeadLettered: 1, service: 'job-worker', stage: 'test', queue: 'jobs' });
    const directive = deadLettered?.document._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('Tidewatch');
    expect(directive?.Dimensions).toEqual([['service', 'stage', 'queue']]);
    expect(emittedMetric(output.emf(), 'JobsFailed')).toHaveLength(1);
  });

  it('records a result exactly as JSON text, whatever its numbers, and keeps it out of the idempotency record', async () => {
    const message = job({ task: 'sum', payload: { numbers: [2 ** 53, 2 ** 53, 1e300] } });

    expect(await invoke([sqsRecord(JSON.stringify(message))])).toEqual({ batchItemFailures: [] });

    expect(statusWrites(message.jobId).at(-1)?.values[':resultJson']).toBe(`{"count":3,"sum":1e+300,"mean":${1e300 / 3},"min":9007199254740992,"max":1e+300}`);
    const saved = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input as UpdateItemCommandInput;
    expect(Object.keys(saved.ExpressionAttributeValues?.[':response_data']?.M ?? {}).sort()).toEqual(['completedAt', 'status']);
  });

  it('acknowledges a malformed body, recording it under the messageId when it names no job', async () => {
    const record = sqsRecord('{not json');

    const response = await invoke([record]);

    expect(response).toEqual({ batchItemFailures: [] });
    const [write] = statusWrites(record.messageId);
    expect(write?.status).toBe('FAILED');
    expect(write?.values[':lastError']).toMatchObject({ class: 'MalformedJobMessageError', permanent: true, message: expect.stringMatching(/^malformed job message: Invalid JSON/) });
    expect(dynamodb).not.toHaveReceivedCommand(PutItemCommand);
  });

  it('records a malformed message on its job when the body still names a valid jobId', async () => {
    const jobId = crypto.randomUUID();
    const record = sqsRecord(JSON.stringify({ jobId, task: 'echo', submittedAt: 'yesterday' }));

    await invoke([record]);

    expect(statusWrites(jobId).at(-1)?.values[':lastError']).toMatchObject({
      class: 'MalformedJobMessageError',
      message: expect.stringContaining('submittedAt: Invalid ISO datetime'),
    });
  });

  it('retries, without recording a failure, a job another delivery is processing right now', async () => {
    const message = job();
    dynamodb.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          id: { S: 'job-worker#key' },
          status: { S: 'INPROGRESS' },
          expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
          in_progress_expiration: { N: String(Date.now() + 60_000) },
        },
      }),
    );
    const record = sqsRecord(JSON.stringify(message));

    const response = await invoke([record]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(statusWrites(message.jobId)).toEqual([]);
  });

  it('retries a sleep that does not fit the invocation, and runs one that does', async () => {
    const tooLong = job({ task: 'sleep', payload: { ms: 5_000 } });
    const fits = job({ task: 'sleep', payload: { ms: 5 } });
    const tooLongRecord = sqsRecord(JSON.stringify(tooLong));

    const response = await invoke([tooLongRecord, sqsRecord(JSON.stringify(fits))], runningOut());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: tooLongRecord.messageId }] });
    expect(statusWrites(tooLong.jobId).at(-1)?.values[':lastError']).toMatchObject({ class: 'InsufficientTimeError', permanent: false });
    expect(statusWrites(fits.jobId).at(-1)?.status).toBe('PROCESSED');
  });

  it('reports a record failed when its failure cannot even be recorded, so the message is not lost', async () => {
    documents.on(UpdateCommand).rejects(new Error('DynamoDB unavailable'));
    const record = sqsRecord(JSON.stringify(job({ task: 'nope' })));

    const response = await invoke([record]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });
});

/**
 * Every way a job can fail, with its class, whether it is permanent and the reason recorded. Permanent:
 * the job itself is wrong and fails the same way on every attempt, so it is FAILED at once, acknowledged,
 * never retried or paged. Transient: anything else (the job asked for it, the invocation ran short, a
 * service answered an error), retried with backoff until the DLQ, which pages.
 */
describe('job failures, by class', () => {
  const sizeRefusal = () => new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message: 'Item size to update has exceeded the maximum allowed size' });
  const throttled = () => new DynamoDBServiceException({ name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: {}, message: 'Rate of requests exceeds the allowed throughput.' });

  it.each<[string, () => JobMessage | string, string, RegExp]>([
    ['an unknown task', () => job({ task: 'resize-image' }), 'UnknownTaskError', /^unknown task "resize-image"; known tasks: echo, sleep, sum, word-count$/],
    ['a payload the task does not take', () => job({ task: 'sum', payload: { numbers: ['1'] } }), 'InvalidPayloadError', /^invalid payload: numbers\.0: Invalid input: expected number, received string$/],
    ['a sum that overflows a double', () => job({ task: 'sum', payload: { numbers: [Number.MAX_VALUE, Number.MAX_VALUE] } }), 'InvalidPayloadError', /^the sum of numbers overflows a double$/],
    ['a result JSON cannot represent', () => JSON.stringify(job()).replace('"world"', '1e400'), 'UnrepresentableJsonError', /^the result of task "echo" holds Infinity, which JSON cannot represent$/],
    [
      'a result the status item cannot hold',
      () => {
        // PROCESSING is written, PROCESSED refused, the failure written.
        documents.on(UpdateCommand).resolvesOnce({}).rejectsOnce(sizeRefusal()).resolves({});
        return job();
      },
      'StatusItemTooLargeError',
      /^the job's status item would exceed DynamoDB's 400 KB item limit: /,
    ],
    ['a sleep no invocation of this worker has room for', () => job({ task: 'sleep', payload: { ms: 5_000 } }), 'InvalidPayloadError', /^sleep of 5000 ms can never fit this worker's invocations of 6000 ms \(2000 ms kept free\)$/],
    ['a message that is no job (but names one)', () => JSON.stringify({ ...job(), submittedAt: 'yesterday' }), 'MalformedJobMessageError', /^malformed job message: submittedAt: Invalid ISO datetime$/],
  ])('permanent: %s is FAILED at once with its reason, acknowledged, never dead-lettered', async (_case, make, errorClass, reason) => {
    const body = make();
    const record = sqsRecord(typeof body === 'string' ? body : JSON.stringify(body));

    // Invocations of 6 s: long enough for everything here but that sleep.
    expect(await invoke([record], 6_000)).toEqual({ batchItemFailures: [] });

    const jobId = (JSON.parse(record.body) as JobMessage).jobId;
    expect(statusWrites(jobId).at(-1)).toMatchObject({ status: 'FAILED', values: { ':lastError': { class: errorClass, permanent: true, message: expect.stringMatching(reason) } } });
    expect(sqs).not.toHaveReceivedCommand(ChangeMessageVisibilityCommand);
    expect(emittedMetric(output.emf(), 'JobsFailed')).toHaveLength(1);
    expect(emittedMetric(output.emf(), 'DeadLettered')).toHaveLength(0);
    expect(emittedMetric(output.emf(), 'RecordRetried')).toHaveLength(0);
  });

  it.each<[string, () => JobMessage, (() => number) | undefined, string, RegExp]>([
    ['"fail": true', () => job({ fail: true }), undefined, 'RequestedFailureError', /^the job was submitted with "fail": true and fails on every attempt$/],
    ['an attempt before failUntil', () => job({ failUntil: '2999-01-01T00:00:00.000Z' }), undefined, 'RequestedFailureError', /^the job fails until 2999-01-01T00:00:00\.000Z \("failUntil"\); this attempt ran at /],
    ['a sleep the invocation has no room left for', () => job({ task: 'sleep', payload: { ms: 5_000 } }), runningOut(), 'InsufficientTimeError', /^sleep of 5000 ms does not fit the 4\d{3} ms this invocation has left$/],
    [
      'the status table throttling the job',
      () => {
        documents.on(UpdateCommand).rejectsOnce(throttled()).resolves({});
        return job();
      },
      undefined,
      'ProvisionedThroughputExceededException',
      /^Rate of requests exceeds the allowed throughput\.$/,
    ],
  ])('transient: %s is retried after a backoff, its reason recorded', async (_case, make, remainingMs, errorClass, reason) => {
    const message = make();
    const record = sqsRecord(JSON.stringify(message));

    expect(await invoke([record], remainingMs)).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });

    expect(statusWrites(message.jobId).at(-1)).toMatchObject({ status: 'PROCESSING', values: { ':lastError': { class: errorClass, permanent: false, message: expect.stringMatching(reason) } } });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { ReceiptHandle: record.receiptHandle, VisibilityTimeout: 10 });
    expect(emittedMetric(output.emf(), 'RecordRetried')).toHaveLength(1);
    expect(emittedMetric(output.emf(), 'JobsFailed')).toHaveLength(0);
  });
});
