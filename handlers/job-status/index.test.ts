import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatusItem } from '../../contract/status-item';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';

Object.assign(process.env, POWERTOOLS_TEST_ENV, { STATUS_TABLE_NAME: 'status-table' });
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index');

const JOB_ID = '6f1e9f7e-3f5a-4c1e-9d4b-2a7c8e0b5d11';
const JOB: StatusItem = {
  id: JOB_ID,
  kind: 'job',
  status: 'PROCESSED',
  task: 'sum',
  payloadJson: '{"numbers":[1e300,9007199254740992]}',
  resultJson: '{"count":2,"sum":1e+300}',
  attempts: 1,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:01.000Z',
  completedAt: '2030-01-01T00:00:01.000Z',
  completedRun: `"${JOB_ID}"`,
};
/** JOB as GET /jobs/{id} answers it: payload and result as the JSON values their text holds, without the workers' run fence. */
const { payloadJson: _payloadJson, resultJson: _resultJson, completedRun: _completedRun, ...JOB_FIELDS } = JOB;
const JOB_STATUS = { ...JOB_FIELDS, payload: { numbers: [1e300, 2 ** 53] }, result: { count: 2, sum: 1e300 } };
let output: CapturedOutput;

beforeEach(() => {
  documents.reset();
  output = captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function get(id: string | undefined) {
  const event = httpEvent({ routeKey: 'GET /jobs/{id}', rawPath: `/jobs/${id}`, pathParameters: id === undefined ? undefined : { id } });
  const result = (await handler(event, lambdaContext('job-status'))) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: JSON.parse(result.body ?? 'null') as unknown };
}

describe('GET /jobs/{id}', () => {
  it('answers 200 with the job status item, read consistently, its payload and result as JSON values', async () => {
    documents.on(GetCommand, { TableName: 'status-table', Key: { id: JOB_ID } }).resolves({ Item: JOB });

    const response = await get(JOB_ID);

    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual(JOB_STATUS);
    expect(response.body).toContain('"payload":{"numbers":[1e+300,9007199254740992]}');
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(documents).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
    expect(emittedMetric(output.emf(), 'ColdStart')[0]?.document).toMatchObject({ service: 'job-status', stage: 'test', function_name: 'job-status' });
  });

  it('answers a job recorded before payloads and results were JSON text as it was stored', async () => {
    const earlier = { ...JOB_FIELDS, payload: { numbers: [1, 2] }, result: { count: 2, sum: 3 } };
    documents.on(GetCommand).resolves({ Item: earlier });

    expect((await get(JOB_ID)).json).toEqual(earlier);
  });

  it('answers a job still RECEIVED, without payload or result, as it is', async () => {
    const { completedAt: _, ...received } = { ...JOB_FIELDS, status: 'RECEIVED' as const };
    documents.on(GetCommand).resolves({ Item: received });

    expect((await get(JOB_ID)).json).toEqual(received);
  });

  it('answers 404 when there is no such item', async () => {
    documents.on(GetCommand).resolves({});

    const response = await get(JOB_ID);

    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ error: 'JobNotFound', message: `no job with id ${JOB_ID}` });
  });

  it('answers 404 for an item that is a file, not a job', async () => {
    documents.on(GetCommand).resolves({ Item: { ...JOB, kind: 'file', fileName: 'a.csv' } });

    const response = await get(JOB_ID);

    expect(response.statusCode).toBe(404);
  });

  it.each([['not-a-uuid'], ['content#abc'], [''], [undefined]])('answers 400 for the malformed id %j without reading the table', async (id) => {
    const response = await get(id);

    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ error: 'InvalidJobId', message: expect.stringContaining('job id must be a UUID') });
    expect(documents).not.toHaveReceivedAnyCommand();
  });

  it('fails the invocation (a 5xx the API alarm sees) when the table cannot be read', async () => {
    documents.on(GetCommand).rejects(new Error('DynamoDB unavailable'));

    await expect(get(JOB_ID)).rejects.toThrow('DynamoDB unavailable');
  });
});
