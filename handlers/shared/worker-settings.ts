/** What every SQS worker reads from its environment (names from the ENV contract), once, at cold start. */
import { requireEnv, requireNumberEnv } from './env';
import type { RetryPolicy } from './failure-policy';

export interface WorkerSettings {
  /** The work queue it consumes: the `queue` dimension of its metrics and the `queue` of its status items. */
  readonly queue: string;
  /** That queue's URL, for the retry backoff (ChangeMessageVisibility). */
  readonly queueUrl: string;
  readonly statusTableName: string;
  readonly idempotencyTableName: string;
  /**
   * How long a finished item's idempotency record is kept. The stack sets the dead-letter retention, so a
   * redrive of an old message for an item already handled is still recognised.
   */
  readonly idempotencyTtlSeconds: number;
  readonly retry: RetryPolicy;
}

export function readWorkerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  return {
    queue: requireEnv('workQueue', env),
    queueUrl: requireEnv('queueUrl', env),
    statusTableName: requireEnv('statusTable', env),
    idempotencyTableName: requireEnv('idempotencyTable', env),
    idempotencyTtlSeconds: requireNumberEnv('idempotencyTtlSeconds', env),
    retry: {
      maxReceiveCount: requireNumberEnv('maxReceiveCount', env),
      backoffBaseSeconds: requireNumberEnv('retryBackoffBaseSeconds', env),
    },
  };
}
