/**
 * What the stack gives each worker kind beyond what every work queue gets (its queue, DLQ, the status
 * and idempotency tables): variables and grants. A worker kind is a handler folder and its entry in
 * contract/workers.ts; the stack wires a queue run by it through this table.
 */
import { ENV } from '../contract/env';
import type { WorkerName } from '../contract/workers';
import type { TidewatchConfig } from './config';
import type { StatusTableAction } from './status-tables';
import type { UploadBucket } from './upload-bucket';
import type { WorkQueue } from './work-queue';

/** What a worker kind may be wired to. */
export interface WorkerResources {
  readonly uploads: UploadBucket;
  readonly config: Pick<TidewatchConfig, 'maxUploadBytes'>;
}

export interface WorkerIntegration {
  /** The item calls the worker makes on the status table. */
  readonly statusActions: readonly StatusTableAction[];
  /** Variables of the environment contract beyond the ones every worker gets. */
  environment(resources: WorkerResources): Record<string, string>;
  /** Grants beyond the tables and its own queue. */
  grant(queue: WorkQueue, resources: WorkerResources): void;
}

export const WORKER_INTEGRATIONS: Readonly<Record<WorkerName, WorkerIntegration>> = {
  'file-worker': {
    // DeleteItem: a file that fails after claiming its content hash releases the claim.
    statusActions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    environment: ({ uploads, config }) => ({ [ENV.bucket]: uploads.bucket.bucketName, [ENV.maxUploadBytes]: String(config.maxUploadBytes) }),
    grant: (queue, { uploads }) => uploads.grantProcess(queue.instrumentedWorker.role),
  },
  'job-worker': {
    statusActions: ['GetItem', 'PutItem', 'UpdateItem'],
    environment: () => ({}),
    grant: () => undefined,
  },
};
