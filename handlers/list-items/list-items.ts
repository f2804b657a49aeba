/**
 * GET /items: recent files and jobs, newest first by `updatedAt`, a page at a time, from the status
 * table's queue index (a query per work queue, never a scan), merged across queues; `?queue=` lists one
 * queue. Listed items carry their summary and failure, never a job's payload or result (the index does not
 * project them). An item that changes status moves to the front, so a client paging while items change
 * may see one twice; none is skipped.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ITEMS_PAGE, type ItemsPage, type ListedItem } from '../../contract/api-routes';
import { STATUS_INDEXES } from '../../contract/status-item';
import { quoted } from '../shared/errors';
import { errorResponse, HttpError, jsonResponse } from '../shared/http';
import { decodeCursor, encodeCursor, type IndexKey, type QueuePositions } from './items-cursor';

export interface ListItemsDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Every work queue, in configuration order. */
  readonly queues: readonly string[];
  readonly logger: Logger;
}

interface QueuePage {
  readonly queue: string;
  readonly items: ListedItem[];
  readonly lastEvaluatedKey: IndexKey | undefined;
}

export async function listItems(event: APIGatewayProxyEventV2, deps: ListItemsDeps): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const query = event.queryStringParameters ?? {};
    const limit = pageLimit(query.limit);
    const queues = selectedQueues(query.queue, deps.queues);
    const positions = query.cursor === undefined ? {} : decodeCursor(query.cursor, queues);
    const pages = await Promise.all(queues.filter((queue) => positions[queue] !== null).map((queue) => readQueue(queue, positions[queue] ?? undefined, limit, deps)));
    const page = mergePages(pages, positions, limit);
    deps.logger.debug('items listed', { count: page.items.length, queues: queues.join(','), more: page.nextCursor !== undefined });
    return jsonResponse(200, page);
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
}

function pageLimit(raw: string | undefined): number {
  if (raw === undefined) return ITEMS_PAGE.defaultLimit;
  const limit = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= ITEMS_PAGE.maxLimit)) throw new HttpError(400, 'InvalidLimit', `limit must be an integer from 1 to ${ITEMS_PAGE.maxLimit}, got ${quoted(raw)}`);
  return limit;
}

function selectedQueues(queue: string | undefined, queues: readonly string[]): readonly string[] {
  if (queue === undefined) return queues;
  if (!queues.includes(queue)) throw new HttpError(400, 'UnknownQueue', `queue must be one of ${queues.join(', ')}, got ${quoted(queue)}`);
  return [queue];
}

/** Up to `limit` items of one queue, newest first, after `startAfter`. */
async function readQueue(queue: string, startAfter: IndexKey | undefined, limit: number, deps: ListItemsDeps): Promise<QueuePage> {
  const { indexName, partitionKey } = STATUS_INDEXES.byQueue;
  const answer = await deps.client.send(
    new QueryCommand({
      TableName: deps.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#queue = :queue',
      ExpressionAttributeNames: { '#queue': partitionKey },
      ExpressionAttributeValues: { ':queue': queue },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startAfter,
    }),
  );
  return { queue, items: (answer.Items ?? []) as ListedItem[], lastEvaluatedKey: answer.LastEvaluatedKey as IndexKey | undefined };
}

/**
 * The newest `limit` items of all pages, and where each queue goes on: after the last item taken from
 * it, or after its whole page (its LastEvaluatedKey; null when it is exhausted); a queue none was taken
 * from stays where it was (absent: from its newest item).
 */
function mergePages(pages: readonly QueuePage[], positions: QueuePositions, limit: number): ItemsPage {
  const newestFirst = (a: ListedItem, b: ListedItem) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id);
  const items = pages.flatMap((page) => page.items).sort(newestFirst).slice(0, limit);
  const next: Record<string, IndexKey | null | undefined> = { ...positions };
  for (const page of pages) {
    const taken = items.filter((item) => item.queue === page.queue);
    const last = taken.at(-1);
    if (taken.length === page.items.length) next[page.queue] = page.lastEvaluatedKey ?? null;
    else if (last) next[page.queue] = { id: last.id, queue: last.queue, updatedAt: last.updatedAt };
  }
  const more = pages.some((page) => next[page.queue] !== null);
  return { items: items.map(listed), ...(more ? { nextCursor: encodeCursor(next) } : {}) };
}

/** Only the listed fields, whatever else the index projects. */
function listed(item: ListedItem): ListedItem {
  const { id, kind, queue, status, fileName, task, rowCount, attempts, lastError, duplicateOf, createdAt, updatedAt, completedAt } = item;
  return Object.fromEntries(
    Object.entries({ id, kind, queue, status, fileName, task, rowCount, attempts, lastError, duplicateOf, createdAt, updatedAt, completedAt }).filter(([, value]) => value !== undefined),
  ) as unknown as ListedItem;
}
