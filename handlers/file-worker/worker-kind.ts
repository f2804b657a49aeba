/**
 * The file worker as a kind of the shared SQS worker skeleton (shared/sqs-worker.ts). A message is an S3
 * notification (direct, SNS-wrapped, or the s3:TestEvent, which announces nothing); each object version it
 * announces is one item, keyed by bucket + key + version, and runs through the file processor.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { METRICS } from '../../contract/metrics';
import { emit } from '../shared/emit-metric';
import type { Instrumentation } from '../shared/powertools';
import type { WorkerKind } from '../shared/sqs-worker';
import type { StatusStore } from '../shared/status-store';
import { endToEndLatencyMs, type WorkItem } from '../shared/work-item';
import { fileBusinessKey } from './business-keys';
import { parseNotification, type Delivery, type FileRef } from './notification';
import { createFileProcessor, type FileOutcome } from './process-file';
import type { UploadRules } from './upload-rules';

export interface FileWorkerDeps {
  readonly s3: S3Client;
  /** Bound to the files queue. */
  readonly store: StatusStore;
  readonly rules: UploadRules;
  readonly instrumentation: Instrumentation;
}

/** One announced object version and how its notification reached the queue. */
export interface FileWork {
  readonly file: FileRef;
  readonly via: Delivery;
}

export function fileWorkerKind(deps: FileWorkerDeps): WorkerKind<FileWork, FileOutcome> {
  const { logger, metrics } = deps.instrumentation;
  const processFile = createFileProcessor(deps);

  function workItem(file: FileRef, via: Delivery): WorkItem<FileWork> {
    return { ...fileBusinessKey(file), input: { file, via }, receivedAt: file.eventTime, correlation: { s3Key: file.key, version: file.version } };
  }

  return {
    name: 'file-worker',
    logLines: {
      unreadable: 'message rejected: not an S3 notification; acknowledged, not retried',
      replayed: 'object version already handled: repeated delivery skipped',
    },

    parse(record) {
      const notification = parseNotification(record.body);
      if (notification.kind === 'test') {
        logger.info('s3:TestEvent acknowledged and ignored', { bucket: notification.bucket, via: notification.via });
        return [];
      }
      if (notification.ignoredEvents.length > 0) logger.info('events other than ObjectCreated ignored', { events: notification.ignoredEvents });
      return notification.files.map((file) => workItem(file, notification.via));
    },

    async run(item, attempt) {
      const outcome = await processFile(item.input.file, attempt);
      if (outcome.status === 'DUPLICATE') {
        emit(metrics, METRICS.filesDuplicate, 1);
        logger.info('duplicate content: recorded DUPLICATE, not ingested again', { duplicateOf: outcome.duplicateOf, contentHash: outcome.contentHash });
      } else {
        const latencyMs = endToEndLatencyMs(item, outcome.completedAt);
        logger.info('file processed', { rowCount: outcome.rowCount, processedKey: outcome.processedKey, latencyMs, via: item.input.via });
      }
      return outcome;
    },
  };
}
