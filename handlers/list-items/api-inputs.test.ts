/**
 * GET /items with any query a client or an adversary may send: a page (200) or a 4xx with
 * `{error, message}`, never a 5xx; and paging with any limit lists every item of every queue exactly
 * once, newest first. The status table's queue index is played by a small in-memory index (newest first,
 * `Limit`, `ExclusiveStartKey`, `LastEvaluatedKey` as DynamoDB answers them); the local cloud's DynamoDB
 * runs the same paging in test/local/console/console.test.ts.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemsPage, ListedItem } from '../../contract/api-routes';
import { expectSuccessOrClientError } from '../../test/support/handlers/api-answer';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';
import { captureOutput, POWERTOOLS_TEST_ENV } from '../../test/support/handlers/powertools-output';

Object.assign(process.env, POWERTOOLS_TEST_ENV, { STATUS_TABLE_NAME: 'status-table', WORK_QUEUE_NAMES: 'files,jobs,reports' });
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index');

let stored: ListedItem[] = [];

/** The queue index: one queue's items, newest first by updatedAt (then id, as the sort key ties break here). */
function queryIndex(input: QueryCommandInput) {
  const queue = input.ExpressionAttributeValues?.[':queue'] as string;
  const newestFirst = stored.filter((item) => item.queue === queue).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
  const start = input.ExclusiveStartKey ? newestFirst.findIndex((item) => item.id === input.ExclusiveStartKey!.id) + 1 : 0;
  const items = newestFirst.slice(start, start + (input.Limit ?? newestFirst.length));
  const more = start + items.length < newestFirst.length;
  const last = items.at(-1);
  return { Items: items, ...(more && last ? { LastEvaluatedKey: { id: last.id, queue: last.queue, updatedAt: last.updatedAt } } : {}) };
}

beforeEach(() => {
  documents.reset();
  documents.on(QueryCommand).callsFake(queryIndex);
  stored = [];
  captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function list(query: Record<string, string>) {
  const event = httpEvent({ routeKey: 'GET /items', rawPath: '/items', queryStringParameters: query });
  const result = (await handler(event, lambdaContext('list-items'))) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 0, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

const item = (queue: string, n: number, second: number): ListedItem => ({
  id: `${queue}-${n}`,
  kind: queue === 'files' ? 'file' : 'job',
  queue,
  status: 'PROCESSED',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, second)).toISOString(),
});

describe('GET /items', () => {
  it('never answers 5xx, whatever the query', async () => {
    stored = [item('files', 1, 1), item('jobs', 1, 2)];
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('1', '100', '101', '0', '-1', '1e2', 'files', 'jobs', 'e30', 'eyJmaWxlcyI6bnVsbH0', 'eyJqb2JzIjp7ImlkIjoxfX0'));
    await fc.assert(
      fc.asyncProperty(fc.record({ limit: text, cursor: text, queue: text }, { requiredKeys: [] }), async (query) => {
        expectSuccessOrClientError(await list(query), 200);
      }),
      { numRuns: 300 },
    );
  });

  it('lists every item of every queue exactly once, newest first, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ queue: fc.constantFrom('files', 'jobs', 'reports'), second: fc.integer({ min: 0, max: 59 }) }), { maxLength: 30, selector: (entry) => `${entry.queue}${entry.second}` }),
        fc.integer({ min: 1, max: 7 }),
        async (entries, limit) => {
          stored = entries.map((entry, n) => item(entry.queue, n, entry.second));
          const seen: ListedItem[] = [];
          let cursor: string | undefined;
          do {
            const answer = await list({ limit: String(limit), ...(cursor ? { cursor } : {}) });
            expect(answer.status).toBe(200);
            const page = answer.json as unknown as ItemsPage;
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor);
          const expected = [...stored].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
          expect(seen.map((listed) => listed.id)).toEqual(expected.map((listed) => listed.id));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lists one queue when asked, and refuses a queue it does not know, naming the known ones', async () => {
    stored = [item('files', 1, 1), item('jobs', 2, 2)];
    expect((await list({ queue: 'jobs' })).json).toEqual({ items: [stored[1]] });
    expect(await list({ queue: 'nope' })).toEqual({ status: 400, json: { error: 'UnknownQueue', message: 'queue must be one of files, jobs, reports, got "nope"' } });
  });
});
