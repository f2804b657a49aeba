/**
 * The period's top failure reasons, from the status table's `byStatusAndTime` index: the items that
 * ended FAILED in the period (a query on the index, never a scan), grouped by queue, error class and
 * message. Bounded: a week of millions of failures is summarised from its newest pages.
 */
import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STATUS_INDEXES, type LastError } from '../../contract/status-item';
import type { FailureReason, FailureReasonsReview } from './model';

/** At most this many pages (1 MB each) of the index are read for one report. */
const MAX_PAGES = 20;
const TOP = 10;

export interface FailureReading {
  readonly review: FailureReasonsReview;
  readonly queries: number;
}

interface FailedItem {
  readonly queue?: string;
  readonly kind?: string;
  readonly lastError?: Partial<LastError>;
}

export async function readFailureReasons(documents: DynamoDBDocumentClient, tableName: string, from: Date, to: Date): Promise<FailureReading> {
  const index = STATUS_INDEXES.byStatus;
  const items: FailedItem[] = [];
  let queries = 0;
  let truncated = false;
  const pages = paginateQuery(
    { client: documents },
    {
      TableName: tableName,
      IndexName: index.indexName,
      KeyConditionExpression: '#status = :failed AND #time BETWEEN :from AND :to',
      // `to` is exclusive: the last millisecond before it is the upper bound BETWEEN includes.
      ExpressionAttributeValues: { ':failed': 'FAILED', ':from': from.toISOString(), ':to': new Date(to.getTime() - 1).toISOString() },
      ExpressionAttributeNames: { '#status': index.partitionKey, '#time': index.sortKey, '#queue': 'queue', '#kind': 'kind', '#lastError': 'lastError' },
      ProjectionExpression: '#queue, #kind, #lastError',
      ScanIndexForward: false,
    },
  );
  for await (const page of pages) {
    queries += 1;
    items.push(...((page.Items ?? []) as FailedItem[]));
    if (queries >= MAX_PAGES && page.LastEvaluatedKey) {
      truncated = true;
      break;
    }
  }
  return { review: { failedItems: items.length, top: topReasons(items), truncated }, queries };
}

export function topReasons(items: readonly FailedItem[]): FailureReason[] {
  const groups = new Map<string, FailureReason>();
  for (const item of items) {
    const reason = {
      queue: item.queue ?? item.kind ?? 'unknown',
      errorClass: item.lastError?.class ?? 'Unknown',
      message: item.lastError?.message ?? '(no message recorded)',
    };
    const key = JSON.stringify(reason);
    groups.set(key, { ...reason, count: (groups.get(key)?.count ?? 0) + 1 });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.queue.localeCompare(b.queue) || a.message.localeCompare(b.message)).slice(0, TOP);
}
