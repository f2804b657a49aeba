import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PermanentError } from './errors';
import { attemptOf, backoffSeconds, FailurePolicy } from './failure-policy';
import { instrument } from './powertools';
import { StatusStore } from './status-store';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { sqsRecord } from '../../test/support/handlers/lambda-events';

Object.assign(process.env, POWERTOOLS_TEST_ENV);
const documents = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
const { logger, metrics } = instrument('test-worker', process.env, 'work');
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/work';
const policy = new FailurePolicy({
  store: new StatusStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'status-table'),
  sqs: new SQSClient({}),
  queueUrl: QUEUE_URL,
  metrics,
  logger,
  policy: { maxReceiveCount: 3, backoffBaseSeconds: 10 },
});
const ITEM = { id: 'job-1', kind: 'job' } as const;
let output: CapturedOutput;

beforeEach(() => {
  documents.reset();
  sqsMock.reset();
  documents.on(UpdateCommand).resolves({});
  sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
  output = captureOutput();
});

afterEach(() => {
  metrics.clearMetrics();
  vi.restoreAllMocks();
});

function recorded() {
  return documents.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues;
}

function flushedMetrics() {
  metrics.publishStoredMetrics();
  return output.emf();
}

describe('attemptOf', () => {
  it.each([
    ['1', 1],
    ['3', 3],
    ['0', 1],
    ['not a number', 1],
  ])('reads ApproximateReceiveCount %j as attempt %i', (count, attempt) => {
    const record = sqsRecord('{}');
    expect(attemptOf({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: count } })).toBe(attempt);
  });
});

describe('backoffSeconds', () => {
  it('doubles from the base on each attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffSeconds(attempt, 10))).toEqual([10, 20, 40, 80]);
  });

  it('never exceeds the 12-hour SQS visibility limit', () => {
    expect(backoffSeconds(30, 10)).toBe(43_200);
  });
});

describe('FailurePolicy.settle', () => {
  it('rejects a permanent failure: FAILED with its reason, acknowledged, never retried', async () => {
    const settled = await policy.settle(sqsRecord('{}'), ITEM, new PermanentError('not a CSV'));

    expect(settled).toEqual({ outcome: 'rejected', attempt: 1, lastError: { class: 'PermanentError', message: 'not a CSV', permanent: true } });
    expect(recorded()).toMatchObject({ ':status': 'FAILED', ':attempts': 1, ':lastError': settled.lastError });
    expect(sqsMock).not.toHaveReceivedAnyCommand();
    expect(flushedMetrics()).toEqual([]);
    expect(output.logs().find((line) => line.message === 'record rejected: permanent failure, not retried')).toMatchObject({ jobId: 'job-1' });
  });

  it.each([
    [1, 10],
    [2, 20],
  ])('retries a transient failure on attempt %i after %i s and counts RecordRetried', async (attempt, seconds) => {
    const record = sqsRecord('{}', { receiveCount: attempt });

    const settled = await policy.settle(record, ITEM, new Error('timeout'));

    expect(settled.outcome).toBe('retrying');
    expect(recorded()).toMatchObject({ ':status': 'PROCESSING', ':attempts': attempt, ':lastError': { class: 'Error', message: 'timeout', permanent: false } });
    expect(sqsMock).toHaveReceivedCommandExactlyOnceWith(ChangeMessageVisibilityCommand, {
      QueueUrl: QUEUE_URL,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    });
    const [retried] = emittedMetric(flushedMetrics(), 'RecordRetried');
    expect(retried?.definition).toEqual({ Name: 'RecordRetried', Unit: 'Count' });
  });

  it('dead-letters a transient failure on the final attempt with a high-resolution DeadLettered metric', async () => {
    const settled = await policy.settle(sqsRecord('{}', { receiveCount: 3 }), { id: 'file-1', kind: 'file' }, new Error('timeout'));

    expect(settled.outcome).toBe('dead-lettered');
    expect(recorded()).toMatchObject({ ':status': 'FAILED', ':kind': 'file', ':attempts': 3 });
    // Visible at once, so the next receive moves it to the DLQ instead of a visibility timeout later.
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.VisibilityTimeout)).toEqual([0]);
    const [deadLettered] = emittedMetric(flushedMetrics(), 'DeadLettered');
    expect(deadLettered?.definition).toEqual({ Name: 'DeadLettered', Unit: 'Count', StorageResolution: 1 });
    expect(deadLettered?.document).toMatchObject({ service: 'test-worker', stage: 'test', queue: 'work', DeadLettered: 1 });
    expect(deadLettered?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage', 'queue']] });
    expect(output.logs().find((line) => line.level === 'ERROR')).toMatchObject({ fileId: 'file-1', attempt: 3 });
  });

  it('still retries (later) when the backoff cannot be set', async () => {
    sqsMock.on(ChangeMessageVisibilityCommand).rejects(new Error('receipt handle expired'));

    const settled = await policy.settle(sqsRecord('{}'), ITEM, new Error('timeout'));

    expect(settled.outcome).toBe('retrying');
    expect(output.logs().find((line) => line.message === 'could not change the message visibility')).toMatchObject({
      error: { message: 'receipt handle expired' },
    });
  });

  it('throws when the failure cannot be recorded, so the record is reported failed and not lost', async () => {
    documents.on(UpdateCommand).rejects(new Error('DynamoDB unavailable'));

    await expect(policy.settle(sqsRecord('{}'), ITEM, new PermanentError('bad'))).rejects.toThrow('DynamoDB unavailable');
  });
});
