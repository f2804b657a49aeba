/**
 * The file worker's batch handler, built from its clients, settings and instrumentation (index.ts only wires them).
 *
 * Per SQS record: parse the notification (direct S3 event, SNS-wrapped S3 event or s3:TestEvent), then
 * run each announced object version through the file processor, made idempotent by Powertools on
 * bucket + key + version (never the messageId: a redriven message gets a new one). Outcomes become
 * metrics; failures go to the shared failure policy (permanent: rejected and acknowledged; transient:
 * backoff and retry; final attempt: FAILED and DeadLettered).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { traceRecord } from '../shared/record-trace';
import { FailurePolicy, attemptOf } from '../shared/failure-policy';
import type { Instrumentation } from '../shared/powertools';
import type { StatusStore } from '../shared/status-store';
import { UnparseableMessageError } from './errors';
import { parseNotification, type Delivery, type FileRef, type Notification } from './notification';
import { createFileProcessor, type FileOutcome } from './process-file';
import { fileIdOf } from '../../contract/s3-layout';
import type { FileWorkerSettings } from './settings';

export interface FileWorkerDeps {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  /** Client of the Powertools idempotency table. */
  readonly dynamo: DynamoDBClient;
  readonly store: StatusStore;
  readonly settings: FileWorkerSettings;
  readonly instrumentation: Instrumentation;
}

/**
 * How long a completed file run is remembered: the dead-letter retention (14 days by default), so even a
 * redrive of an old message for an already handled version is skipped.
 */
const IDEMPOTENCY_TTL_SECONDS = 14 * 24 * 60 * 60;

/** How much of an unparseable body the log keeps: enough to recognise it, bounded for the log line. */
const BODY_EXCERPT_CHARS = 1000;

type RunResult = FileOutcome & { readonly replayed?: true };

export function createFileWorker(deps: FileWorkerDeps): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const { settings, instrumentation } = deps;
  const { logger, metrics, tracer } = instrumentation;

  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: '[bucket, key, version]',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    // Marks results served from the idempotency table, so a repeated delivery is logged and not counted twice.
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
  const processFile = createFileProcessor({ s3: deps.s3, store: deps.store, rules: settings });
  const processFileOnce: (file: FileRef, attempt: number) => Promise<RunResult> = makeIdempotent(processFile, {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: settings.idempotencyTableName, awsSdkV3Client: deps.dynamo }),
    config: idempotency,
    // Stable across deployments (the default is the function's name, which a redeploy may change).
    keyPrefix: 'file-worker',
  });
  const processor = new BatchProcessor(EventType.SQS);
  const failures = new FailurePolicy({ store: deps.store, sqs: deps.sqs, queueUrl: settings.queueUrl, metrics, logger, policy: settings.retry });

  async function handleRecord(record: SQSRecord): Promise<void> {
    logger.appendKeys({ messageId: record.messageId });
    try {
      await handleMessage(record);
    } finally {
      logger.removeKeys(['messageId', 'fileId', 's3Key']);
    }
  }

  async function handleMessage(record: SQSRecord): Promise<void> {
    let notification: Notification;
    try {
      notification = parseNotification(record.body);
    } catch (error) {
      if (!(error instanceof UnparseableMessageError)) throw error;
      // Cannot be tied to a file, so no status item: the log line (with the body) is the record of it.
      metrics.addMetric('FilesRejected', MetricUnit.Count, 1);
      logger.error('message rejected: not an S3 notification; acknowledged, not retried', {
        reason: error.message,
        bodyExcerpt: record.body.slice(0, BODY_EXCERPT_CHARS),
      });
      return;
    }
    if (notification.kind === 'test') {
      logger.info('s3:TestEvent acknowledged and ignored', { bucket: notification.bucket, via: notification.via });
      return;
    }
    if (notification.ignoredEvents.length > 0) logger.info('events other than ObjectCreated ignored', { events: notification.ignoredEvents });
    // Every file of the message gets its run; the message comes back if any of them must be retried.
    let retry: unknown;
    for (const file of notification.files) {
      try {
        await handleFile(record, file, notification.via);
      } catch (error) {
        retry ??= error;
      }
    }
    if (retry !== undefined) throw retry;
  }

  async function handleFile(record: SQSRecord, file: FileRef, via: Delivery): Promise<void> {
    const fileId = fileIdOf(file.key);
    logger.appendKeys({ fileId, s3Key: file.key });
    try {
      const result = await traceRecord(tracer, 'file', { fileId }, () => processFileOnce(file, attemptOf(record)));
      report(result, file, via);
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        // Another delivery of this version is running now; this one comes back after its visibility timeout
        // and then finds the result. Recording a failure here could overwrite that delivery's success.
        logger.warn('file already in progress in another delivery; retrying later');
        throw error;
      }
      const settled = await failures.settle(record, { id: fileId, kind: 'file' }, error);
      if (settled.outcome !== 'rejected') throw error;
      metrics.addMetric('FilesRejected', MetricUnit.Count, 1);
    }
  }

  function report(result: RunResult, file: FileRef, via: Delivery): void {
    if (result.replayed) {
      logger.info('object version already handled: repeated delivery skipped', { status: result.status, version: file.version });
    } else if (result.status === 'DUPLICATE') {
      metrics.addMetric('FilesDuplicate', MetricUnit.Count, 1);
      logger.info('duplicate content: recorded DUPLICATE, not ingested again', { duplicateOf: result.duplicateOf, contentHash: result.contentHash });
    } else {
      const latencyMs = Date.parse(result.completedAt) - Date.parse(file.eventTime);
      metrics.addMetric('FilesProcessed', MetricUnit.Count, 1);
      metrics.addMetric('RowsProcessed', MetricUnit.Count, result.rowCount);
      metrics.addMetric('EndToEndLatency', MetricUnit.Milliseconds, latencyMs);
      logger.info('file processed', { rowCount: result.rowCount, processedKey: result.processedKey, latencyMs, via });
    }
  }

  return async (event, context) => {
    // Lets an in-progress idempotency record expire with this invocation, so a timed-out run does not block its retry.
    idempotency.registerLambdaContext(context);
    // A batch whose records all failed is still a partial response (each failure recorded and backed off):
    // record failures have their own metrics, and the function's Errors metric stays a signal of crashes.
    return processPartialResponse(event, handleRecord, processor, {
      context,
      // One record at a time: the logger's correlation keys (appendKeys) are shared state, and parsing is
      // CPU-bound, so concurrent records would not finish sooner on a Lambda's share of a core.
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}
