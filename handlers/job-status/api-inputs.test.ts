/**
 * GET /jobs/{id} with every kind of id a client or an adversary may send: anything that is not a jobId is
 * a 400 naming it (quoted back in part), without reading the table; a well-formed id of no job is a 404;
 * never a 5xx.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, POWERTOOLS_TEST_ENV } from '../../test/support/handlers/powertools-output';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';

Object.assign(process.env, POWERTOOLS_TEST_ENV, { STATUS_TABLE_NAME: 'status-table' });
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index');

beforeEach(() => {
  documents.reset();
  documents.on(GetCommand).resolves({});
  captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function get(id: string) {
  const event = httpEvent({ routeKey: 'GET /jobs/{id}', rawPath: '/jobs/id', pathParameters: { id } });
  const result = (await handler(event, lambdaContext('job-status'))) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 0, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

const UUID = '6f1e9f7e-3f5a-4c1e-9d4b-2a7c8e0b5d11';

describe('GET /jobs/{id}', () => {
  it.each([
    ['an empty id', '', '""'],
    ['a word', 'latest', '"latest"'],
    ['a content-hash marker of the same table', 'content#abc', '"content#abc"'],
    ['a UUID with a line feed after it', `${UUID}\n`, JSON.stringify(`${UUID}\n`)],
    ['a UUID without its dashes', UUID.replaceAll('-', ''), `"${UUID.replaceAll('-', '')}"`],
    ['a lone surrogate', '\ud800', '"\\ud800"'],
    ['a 10 KB id, quoted back only in part', 'x'.repeat(10_000), `"${'x'.repeat(99)}... (10002 characters)`],
  ])('answers 400 for %s, quoting it, without reading the table', async (_case, id, quotedId) => {
    const response = await get(id);

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'InvalidJobId', message: `job id must be a UUID as returned by POST /jobs, got ${quotedId}` });
    expect(documents).not.toHaveReceivedAnyCommand();
  });

  it.each([[UUID], [UUID.toUpperCase()]])('answers 404 for the well-formed id %s of no job', async (id) => {
    expect((await get(id)).json).toEqual({ error: 'JobNotFound', message: `no job with id ${id}` });
  });

  it('never answers 5xx, whatever the id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary' }), fc.uuid()), async (id) => {
        const response = await get(id);
        expect([400, 404]).toContain(response.status);
        expect(Object.keys(response.json).sort()).toEqual(['error', 'message']);
      }),
      { numRuns: 100 },
    );
  });
});
