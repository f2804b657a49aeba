/**
 * The Lambda entry of every SQS worker: its settings, its instrumentation (with its work queue as a
 * dimension) and its SDK clients, built once per execution environment and captured by the tracer, and
 * the skeleton wrapped in the Powertools middlewares. A worker's index.ts adds only its own clients.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WorkerName } from '../../contract/workers';
import { instrument, instrumented, type Instrumentation } from './powertools';
import { createSqsWorker, type WorkerKind } from './sqs-worker';
import { StatusStore } from './status-store';
import type { ItemOutcome } from './work-item';
import { readWorkerSettings } from './worker-settings';

/** What a worker kind is built from. */
export interface WorkerRuntime {
  readonly instrumentation: Instrumentation;
  /** Bound to the worker's queue. */
  readonly store: StatusStore;
}

export function workerHandler<TInput, TOutcome extends ItemOutcome>(name: WorkerName, kindOf: (runtime: WorkerRuntime) => WorkerKind<TInput, TOutcome>) {
  const settings = readWorkerSettings();
  const instrumentation = instrument(name, process.env, settings.queue);
  const { tracer } = instrumentation;
  const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
  const sqs = tracer.captureAWSv3Client(new SQSClient({}));
  const store = new StatusStore(DynamoDBDocumentClient.from(dynamodb), settings.statusTableName).withQueue(settings.queue);
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: settings.idempotencyTableName, awsSdkV3Client: dynamodb });
  const kind = kindOf({ instrumentation, store });
  return instrumented(createSqsWorker(kind, { sqs, store, persistenceStore, settings, instrumentation }), instrumentation);
}
