import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobMessageSchema } from '../job-worker/job-message';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';

const JOB_QUEUE_URLS = {
  jobs: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  reports: 'https://sqs.us-east-1.amazonaws.com/123456789012/reports',
};
Object.assign(process.env, POWERTOOLS_TEST_ENV, {
  STATUS_TABLE_NAME: 'status-table',
  JOB_QUEUE_URLS: JSON.stringify(JOB_QUEUE_URLS),
  DEFAULT_JOB_QUEUE: 'jobs',
  MAX_JOB_BODY_BYTES: '1024',
});
const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const { handler } = await import('./index');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let output: CapturedOutput;

beforeEach(() => {
  documents.reset();
  sqs.reset();
  documents.on(PutCommand).resolves({});
  documents.on(UpdateCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'message-1' });
  output = captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function post(body: string | undefined, overrides: Partial<APIGatewayProxyEventV2> = {}) {
  const result = (await handler(httpEvent({ body, ...overrides }), lambdaContext('submit-job'))) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

describe('POST /jobs', () => {
  it('records the job RECEIVED, queues it on the default job queue and answers 202 with the queue and its status URL', async () => {
    const response = await post(JSON.stringify({ task: 'sum', payload: { numbers: [1, 2] }, fail: false }));

    expect(response.statusCode).toBe(202);
    const jobId = response.json.jobId as string;
    expect(jobId).toMatch(UUID);
    expect(response.json.queue).toBe('jobs');
    expect(response.json.statusUrl).toBe(`https://api123.execute-api.us-east-1.amazonaws.com/jobs/${jobId}`);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', location: response.json.statusUrl });

    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'status-table',
      ConditionExpression: 'attribute_not_exists(id)',
      Item: expect.objectContaining({ id: jobId, kind: 'job', queue: 'jobs', status: 'RECEIVED', task: 'sum', payloadJson: '{"numbers":[1,2]}', fail: false }),
    });
    const createdAt = documents.commandCalls(PutCommand)[0]?.args[0].input.Item?.createdAt as string;

    const sent = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(sent?.QueueUrl).toBe(JOB_QUEUE_URLS.jobs);
    expect(sent?.MessageAttributes).toEqual({ jobId: { DataType: 'String', StringValue: jobId } });
    // The body is exactly what the worker's schema accepts, with submittedAt = the item's creation time.
    expect(JobMessageSchema.parse(JSON.parse(sent?.MessageBody ?? ''))).toEqual({ jobId, task: 'sum', payload: { numbers: [1, 2] }, fail: false, submittedAt: createdAt });

    expect(emittedMetric(output.emf(), 'JobsSubmitted')[0]?.document).toMatchObject({ service: 'submit-job', stage: 'test', JobsSubmitted: 1 });
    expect(output.logs().find((line) => line.message === 'job accepted')).toMatchObject({ jobId, task: 'sum' });
  });

  it('queues a job on the job queue it names, and records and answers that queue', async () => {
    const response = await post('{"task":"echo","queue":"reports"}');

    expect(response.statusCode).toBe(202);
    expect(response.json.queue).toBe('reports');
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(SendMessageCommand, { QueueUrl: JOB_QUEUE_URLS.reports });
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ id: response.json.jobId, queue: 'reports', status: 'RECEIVED' });
    expect(output.logs().find((line) => line.message === 'job accepted')).toMatchObject({ queue: 'reports' });
  });

  it.each([
    ['an unknown queue', '{"task":"echo","queue":"files"}', /^unknown queue "files"; known queues: jobs, reports$/],
    ['a queue that is not a string', '{"task":"echo","queue":["jobs"]}', /^unknown queue \["jobs"\]; known queues: jobs, reports$/],
  ])('answers 400 naming the known queues for %s, and records nothing', async (_case, body, message) => {
    const response = await post(body);

    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ error: 'UnknownQueue', message: expect.stringMatching(message) });
    expect(documents).not.toHaveReceivedAnyCommand();
    expect(sqs).not.toHaveReceivedAnyCommand();
  });

  it('accepts a job with only a task, as the seed does, and leaves absent fields out', async () => {
    const response = await post('{"task":"echo","fail":true}');

    expect(response.statusCode).toBe(202);
    const item = documents.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item).toMatchObject({ task: 'echo', fail: true });
    expect(item).not.toHaveProperty('payloadJson');
  });

  it('accepts failUntil with any time zone, and records and queues it as the same instant in UTC', async () => {
    const response = await post('{"task":"echo","failUntil":"2030-01-01T14:00:00+02:00"}');

    expect(response.statusCode).toBe(202);
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ failUntil: '2030-01-01T12:00:00.000Z' });
    const sent = JobMessageSchema.parse(JSON.parse(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? ''));
    expect(sent.failUntil).toBe('2030-01-01T12:00:00.000Z');
  });

  it('reads a base64-encoded body', async () => {
    const response = await post(Buffer.from('{"task":"echo"}').toString('base64'), { isBase64Encoded: true });
    expect(response.statusCode).toBe(202);
  });

  it.each([
    ['no body', undefined, 'InvalidRequest', /a JSON body is required/],
    ['malformed JSON', '{"task":', 'MalformedJson', /not valid JSON/],
    ['a non-object body', '["echo"]', 'InvalidRequest', /expected object, received array/],
    ['a missing task', '{"payload":{}}', 'InvalidRequest', /task: Invalid input: expected string, received undefined/],
    ['an empty task', '{"task":""}', 'InvalidRequest', /task: Too small/],
    ['a task of the wrong type', '{"task":3}', 'InvalidRequest', /task: Invalid input: expected string, received number/],
    ['a payload that is not an object', '{"task":"echo","payload":[1]}', 'InvalidRequest', /payload: Invalid input: expected record, received array/],
    ['a fail flag that is not a boolean', '{"task":"echo","fail":"yes"}', 'InvalidRequest', /fail: Invalid input: expected boolean, received string/],
    ['an unknown field', '{"task":"echo","priority":1}', 'InvalidRequest', /Unrecognized key: "priority"/],
    ['a failUntil that is not a string', '{"task":"echo","failUntil":1893456000000}', 'InvalidRequest', /^failUntil: must be an ISO 8601 date-time with a time zone, e\.g\. 2030-01-01T12:00:00Z$/],
    ['a failUntil without a time zone', '{"task":"echo","failUntil":"2030-01-01T12:00:00"}', 'InvalidRequest', /^failUntil: must be an ISO 8601 date-time/],
    ['a failUntil that is a date only', '{"task":"echo","failUntil":"2030-01-01"}', 'InvalidRequest', /^failUntil: must be an ISO 8601 date-time/],
    ['a failUntil on a day that does not exist', '{"task":"echo","failUntil":"2030-02-30T00:00:00Z"}', 'InvalidRequest', /^failUntil: must be an ISO 8601 date-time/],
    ['a failUntil in words', '{"task":"echo","failUntil":"tomorrow"}', 'InvalidRequest', /^failUntil: must be an ISO 8601 date-time/],
    ['a payload number no double holds', '{"task":"sum","payload":{"numbers":[1,9007199254740993]}}', 'InexactNumber', /^payload\.numbers\.1: 9007199254740993 would be read as 9007199254740992: /],
    ['an unknown task', '{"task":"resize-image"}', 'UnknownTask', /^unknown task "resize-image"; known tasks: echo, sleep, sum, word-count$/],
    ['a payload the task rejects', '{"task":"sum","payload":{"numbers":"1,2"}}', 'InvalidPayload', /^payload of task "sum": numbers: Invalid input: expected array/],
  ])('answers 400 for %s and records nothing', async (_case, body, error, message) => {
    const response = await post(body);

    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ error, message: expect.stringMatching(message) });
    expect(documents).not.toHaveReceivedAnyCommand();
    expect(sqs).not.toHaveReceivedAnyCommand();
  });

  it('answers 413 for a body over MAX_JOB_BODY_BYTES', async () => {
    const response = await post(JSON.stringify({ task: 'echo', payload: { text: 'x'.repeat(1024) } }));

    expect(response.statusCode).toBe(413);
    expect(response.json).toEqual({ error: 'PayloadTooLarge', message: expect.stringMatching(/the limit is 1024$/) });
    expect(sqs).not.toHaveReceivedAnyCommand();
  });

  it('records the job FAILED with the reason and answers 503 when the queue refuses it', async () => {
    sqs.on(SendMessageCommand).rejects(new SQSServiceException({ name: 'QueueDoesNotExist', $fault: 'client', $metadata: {}, message: 'The queue does not exist' }));

    const response = await post('{"task":"echo"}');

    expect(response.statusCode).toBe(503);
    expect(response.json.error).toBe('QueueUnavailable');
    const jobId = documents.commandCalls(PutCommand)[0]?.args[0].input.Item?.id as string;
    expect(response.json.message).toContain(`recorded FAILED as ${jobId}`);
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { id: jobId },
      ExpressionAttributeValues: expect.objectContaining({
        ':queue': 'jobs',
        ':status': 'FAILED',
        ':lastError': { class: 'QueueDoesNotExist', message: 'The queue does not exist', permanent: false },
      }),
    });
  });

  it('still answers 503 when even the FAILED record cannot be written', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('network down'));
    documents.on(UpdateCommand).rejects(new Error('DynamoDB down too'));

    const response = await post('{"task":"echo"}');

    expect(response.statusCode).toBe(503);
    expect(output.logs().some((line) => line.message === 'could not record the queueing failure; the job stays RECEIVED')).toBe(true);
  });

  it('answers 503 and queues nothing when the job cannot be recorded', async () => {
    documents.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    const response = await post('{"task":"echo"}');

    expect(response.statusCode).toBe(503);
    expect(response.json.error).toBe('StatusStoreUnavailable');
    expect(sqs).not.toHaveReceivedAnyCommand();
  });
});
