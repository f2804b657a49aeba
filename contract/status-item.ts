/**
 * The status table item: one per file (id = fileId) and per job (id = jobId).
 * Content-hash markers for duplicate detection live in the same table under `content#<sha256>` ids
 * with kind `content`, so the first writer of a content hash wins atomically.
 */
export type ItemKind = 'file' | 'job';

export type ItemStatus = 'RECEIVED' | 'PROCESSING' | 'PROCESSED' | 'DUPLICATE' | 'FAILED';

/** Whether an item's work is done: processed, or found a duplicate of work already done. */
export function isDone(status: ItemStatus | undefined): boolean {
  return status === 'PROCESSED' || status === 'DUPLICATE';
}

/** Class and message of the latest failure; `permanent` failures are never retried. */
export interface LastError {
  readonly class: string;
  readonly message: string;
  readonly permanent: boolean;
}

export interface StatusItem {
  readonly id: string;
  readonly kind: ItemKind;
  /** The work queue the item went through (`files`, `jobs`, or a team's own). */
  readonly queue?: string;
  readonly status: ItemStatus;
  /** Files: the object's name (last key segment). */
  readonly fileName?: string;
  /** Files: bucket and key the object arrived under. */
  readonly bucket?: string;
  readonly s3Key?: string;
  /** Files: key under processed/ once moved. */
  readonly processedKey?: string;
  /** Files: data rows (the header row is not counted). */
  readonly rowCount?: number;
  /** Files: sha256 of the content, hex. */
  readonly contentHash?: string;
  /** Files with status DUPLICATE: the id of the file first processed with the same content. */
  readonly duplicateOf?: string;
  /** Jobs: the task name. */
  readonly task?: string;
  /**
   * Jobs: the task's input (a JSON object) and what it returned (any JSON), as JSON text: DynamoDB numbers
   * hold neither every double (1e300) nor, through the SDK, integers above 2^53. GET /jobs/{id} answers
   * them as `payload` and `result`, JSON values.
   */
  readonly payloadJson?: string;
  readonly resultJson?: string;
  /** Jobs: the client asked the job to fail on every attempt (`{"fail": true}`, the DLQ demo). */
  readonly fail?: boolean;
  /** Jobs: every attempt before this time (ISO-8601, UTC) fails transiently (`{"failUntil": time}`). */
  readonly failUntil?: string;
  /** Receives so far (SQS ApproximateReceiveCount of the latest attempt). */
  readonly attempts?: number;
  readonly lastError?: LastError;
  /** ISO-8601 timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
  /**
   * The run that completed the item (PROCESSED or DUPLICATE): its idempotency key as JSON text. A later
   * delivery of the same run finds it and is a replay, even when its idempotency record was lost.
   */
  readonly completedRun?: string;
}

/**
 * The status table's secondary indexes, so listings are queries, not scans: recent items of a queue,
 * and items in a status (FAILED this week), each newest first by `updatedAt`.
 */
export const STATUS_INDEXES = {
  byQueue: { indexName: 'byQueueAndTime', partitionKey: 'queue', sortKey: 'updatedAt' },
  byStatus: { indexName: 'byStatusAndTime', partitionKey: 'status', sortKey: 'updatedAt' },
} as const;
