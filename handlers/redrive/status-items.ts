/** Status items (contract/status-item.ts) read many at a time, by id: what a dead letter's items say about why they failed. */
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StatusItem } from '../../contract/status-item';

/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_RETRIES = 3;

/** The status items of these ids (those that exist), by id. */
export async function statusItems(dynamoDb: DynamoDBDocumentClient, tableName: string, ids: readonly string[]): Promise<Map<string, StatusItem>> {
  const items = new Map<string, StatusItem>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(start, start + BATCH_GET_LIMIT).map((id) => ({ id }));
    // BatchGetItem may leave keys unprocessed under throttling: ask again for those, a few times.
    for (let attempt = 0; keys && keys.length > 0 && attempt <= MAX_UNPROCESSED_RETRIES; attempt++) {
      const answer: BatchGetCommandOutput = await dynamoDb.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      for (const item of answer.Responses?.[tableName] ?? []) items.set(String(item.id), item as StatusItem);
      keys = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
}

/** `<class>: <message>` of the first of these items that has a last error. */
export function failureReasonOf(items: readonly StatusItem[]): string | undefined {
  const failed = items.find((item) => item.lastError !== undefined);
  return failed?.lastError && `${failed.lastError.class}: ${failed.lastError.message}`;
}
