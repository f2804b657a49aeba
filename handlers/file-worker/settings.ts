/** The file worker's settings, read once from its environment (names from the shared ENV contract). */
import { requireEnv, requireNumberEnv } from '../shared/env';
import type { RetryPolicy } from '../shared/failure-policy';

export interface FileWorkerSettings {
  /** The upload bucket: events for any other bucket are rejected. */
  readonly bucket: string;
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
