/**
 * The environment contract between the stack (lib/), the handlers and the local cloud.
 * The stack sets exactly these variables; handlers read them only through `requireEnv`/`optionalEnv`.
 */
export const ENV = {
  /** Stage name; every metric carries it as the `stage` dimension. */
  stage: 'TIDEWATCH_STAGE',
  /** Status table (DESIGN §1 item shape). */
  statusTable: 'STATUS_TABLE_NAME',
  /** Powertools idempotency table. */
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  /** Upload bucket. */
  bucket: 'BUCKET_NAME',
  /** Key prefix uploads land under, with trailing slash: `uploads/`. */
  uploadPrefix: 'UPLOAD_PREFIX',
  /** Key prefix processed files move to, with trailing slash: `processed/`. */
  processedPrefix: 'PROCESSED_PREFIX',
  /** Presigned URL lifetime, seconds. */
  presignExpirySeconds: 'PRESIGN_EXPIRY_SECONDS',
  /** Largest accepted upload, bytes. */
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  /** Comma-separated content types allowed on POST /presign. */
  allowedContentTypes: 'ALLOWED_CONTENT_TYPES',
  /** Largest POST /jobs body, bytes. */
  maxJobBodyBytes: 'MAX_JOB_BODY_BYTES',
  /** URL of the queue a worker consumes (for ChangeMessageVisibility backoff) or a producer sends to. */
  queueUrl: 'QUEUE_URL',
  /** The DLQ's maxReceiveCount: a record on this receive is on its final attempt. */
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  /** Base of the exponential retry backoff, seconds. */
  retryBackoffBaseSeconds: 'RETRY_BACKOFF_BASE_SECONDS',
} as const;

export type EnvKey = keyof typeof ENV;

/**
 * The one CloudWatch namespace of every Tidewatch metric. Here, in a module without dependencies, so the
 * stack and its alarms can name it without loading Powertools (and the X-Ray SDK's async hooks with it).
 */
export const METRICS_NAMESPACE = 'Tidewatch';

export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
}

/** Reads a required variable of the contract; throws naming it when absent. */
export function requireEnv(key: EnvKey, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[ENV[key]];
  if (value === undefined || value === '') throw new MissingEnvironmentError(`environment variable ${ENV[key]} is not set`);
  return value;
}

/** Reads a required numeric variable of the contract. */
export function requireNumberEnv(key: EnvKey, env: NodeJS.ProcessEnv = process.env): number {
  const raw = requireEnv(key, env);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new MissingEnvironmentError(`environment variable ${ENV[key]} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}
