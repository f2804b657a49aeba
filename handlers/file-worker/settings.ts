/** The file worker's settings, read once from its environment (names from the shared ENV contract). */
import { requireEnv, requireNumberEnv } from '../shared/env';
import type { RetryPolicy } from '../shared/failure-policy';

export interface FileWorkerSettings {
  /** The upload bucket: events for any other bucket are rejected. */
  readonly bucket: string;
  /** `uploads/`: only objects below it are uploads. */
  readonly uploadPrefix: string;
  /** `processed/`: where a processed upload moves, same rest of key. */
  readonly processedPrefix: string;
  /** Largest accepted file, bytes. */
  readonly maxUploadBytes: number;
  readonly statusTableName: string;
  readonly idempotencyTableName: string;
  /** The files queue, for the retry backoff (ChangeMessageVisibility). */
  readonly queueUrl: string;
  readonly retry: RetryPolicy;
}

export function readFileWorkerSettings(env: NodeJS.ProcessEnv = process.env): FileWorkerSettings {
  return {
    bucket: requireEnv('bucket', env),
    uploadPrefix: requireEnv('uploadPrefix', env),
    processedPrefix: requireEnv('processedPrefix', env),
    maxUploadBytes: requireNumberEnv('maxUploadBytes', env),
    statusTableName: requireEnv('statusTable', env),
    idempotencyTableName: requireEnv('idempotencyTable', env),
    queueUrl: requireEnv('queueUrl', env),
    retry: {
      maxReceiveCount: requireNumberEnv('maxReceiveCount', env),
      backoffBaseSeconds: requireNumberEnv('retryBackoffBaseSeconds', env),
    },
  };
}
