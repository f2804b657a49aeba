/**
 * The top failure reasons of a queue's dead letters, from the status table's byStatusAndTime index: the
 * items that ended FAILED this week on a transient failure (those are the ones dead-lettered), grouped by
 * failure class and message. A query, never a scan.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STATUS_INDEXES, type LastError } from '../../../contract/status-item';

/** How far back the reasons are read. */
const LOOKBACK_MS = 7 * 24 * 3600 * 1000;
/** Most items read: enough to rank reasons, bounded for the widget's time. */
const MAX_ITEMS = 500;
/** How much of a failure message makes up its reason. */
const REASON_CHARS = 160;

export interface FailureReason {
  readonly reason: string;
  readonly count: number;
}

export async function topFailureReasons(dynamoDb: DynamoDBDocumentClient, tableName: string, queue: string, now: Date, top = 5): Promise<FailureReason[]> {
  const { indexName, partitionKey, sortKey } = STATUS_INDEXES.byStatus;
  const counts = new Map<string, number>();
  let read = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: '#status = :failed AND #updatedAt >= :since',
        FilterExpression: '#queue = :queue AND lastError.permanent = :transient',
        ExpressionAttributeNames: { '#status': partitionKey, '#updatedAt': sortKey, '#queue': STATUS_INDEXES.byQueue.partitionKey },
        ExpressionAttributeValues: { ':failed': 'FAILED', ':since': new Date(now.getTime() - LOOKBACK_MS).toISOString(), ':queue': queue, ':transient': false },
        ScanIndexForward: false,
        Limit: MAX_ITEMS - read,
        ExclusiveStartKey: startKey,
      }),
    );
    read += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const error = item.lastError as LastError | undefined;
      if (!error) continue;
      const reason = `${error.class}: ${error.message.slice(0, REASON_CHARS)}`;
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey && read < MAX_ITEMS);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count).slice(0, top);
}
