/**
 * The environment contract between the stack (lib/), the handlers and the local cloud: the stack sets
 * exactly these variables; handlers read them only through `requireEnv`/`optionalEnv`.
 */
export const ENV = {
  /** Stage name; every metric carries it as the `stage` dimension. */
  stage: 'TIDEWATCH_STAGE',
  /** Status table (item shape in contract/status-item.ts). */
  statusTable: 'STATUS_TABLE_NAME',
  /** Powertools idempotency table. */
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  /** Seconds a finished item's idempotency record is kept: the dead-letter retention, so a redrive of an old message is still recognised. */
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
  /** Upload bucket. */
  bucket: 'BUCKET_NAME',
  /** Presigned URL lifetime, seconds. */
  presignExpirySeconds: 'PRESIGN_EXPIRY_SECONDS',
  /** Largest accepted upload, bytes. */
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  /** Comma-separated content types allowed on POST /presign. */
  allowedContentTypes: 'ALLOWED_CONTENT_TYPES',
  /** Largest POST /jobs body, bytes. */
  maxJobBodyBytes: 'MAX_JOB_BODY_BYTES',
  /** The work queue a worker consumes: its name (the `queue` dimension of its metrics, the `queue` of its status items). */
  workQueue: 'WORK_QUEUE_NAME',
  /** GET /items: the work queues whose items it lists, comma-separated (as the `WorkQueueNames` output). */
  workQueueNames: 'WORK_QUEUE_NAMES',
  /** URL of the queue a worker consumes (for ChangeMessageVisibility backoff). */
  queueUrl: 'QUEUE_URL',
  /** JSON object of the job queues POST /jobs may send to: `{ "<queue name>": "<queue URL>" }`. */
  jobQueueUrls: 'JOB_QUEUE_URLS',
  /** The job queue POST /jobs sends to when the request names none. */
  defaultJobQueue: 'DEFAULT_JOB_QUEUE',
  /** The DLQ's maxReceiveCount: a record on this receive is on its final attempt. */
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  /** Base of the exponential retry backoff, seconds. */
  retryBackoffBaseSeconds: 'RETRY_BACKOFF_BASE_SECONDS',
  /** Redrive: JSON object of the work queues it serves, `{ "<queue>": { worker, queueUrl, queueArn, deadLetterQueueUrl, deadLetterQueueArn } }`. */
  redriveQueues: 'REDRIVE_QUEUES',
  /** Redrive: its audit ledger table (runs, moved messages, the per-queue lease). */
  redriveLedgerTable: 'REDRIVE_LEDGER_TABLE_NAME',
  /** The weekly review: JSON of the names it reads (contract/review.ts `ReviewSources`). */
  reviewSources: 'REVIEW_SOURCES',
  /** The weekly review: the reports topic its summary goes to. */
  reportsTopicArn: 'REPORTS_TOPIC_ARN',
  /** The weekly review: JSON of the stack's monthly monitoring cost, priced at synthesis (contract/review.ts `MonitoringCostSummary`). */
  monitoringCost: 'MONITORING_COST',
} as const;

export type EnvKey = keyof typeof ENV;
