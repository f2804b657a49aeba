/**
 * The archive sink: writes each dead letter, with what is known of it, to
 * `s3://<bucket>/dead-letters/<queue>/<date>/<messageId>.json` before the pass may delete it from the
 * DLQ, so a message that can never succeed leaves the DLQ without being lost.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deadLetterArchiveKey } from '../../contract/redrive';
import type { Refused } from './dead-letter-queue';
import type { Delivered, Sink } from './sink';
import { failureReasonOf } from './status-items';

export interface ArchiveTarget {
  readonly bucket: string;
  readonly queue: string;
  readonly runId: string;
  readonly now?: () => Date;
}

export function archiveTo(s3: S3Client, target: ArchiveTarget): Sink {
  const now = target.now ?? (() => new Date());
  return {
    kind: 'archive',
    async deliver(batch) {
      const outcomes = await Promise.allSettled(
        batch.map(async (taken): Promise<Delivered> => {
          const archivedAt = now();
          const key = deadLetterArchiveKey(target.queue, archivedAt, taken.messageId);
          const record = {
            queue: target.queue,
            messageId: taken.messageId,
            runId: target.runId,
            archivedAt: archivedAt.toISOString(),
            sentAt: taken.sentAt?.toISOString(),
            itemIds: taken.itemIds,
            reason: failureReasonOf(taken.items) ?? null,
            body: taken.body,
            attributes: taken.message.Attributes ?? {},
            messageAttributes: taken.message.MessageAttributes ?? {},
            statusItems: taken.items,
          };
          await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: JSON.stringify(record, null, 2), ContentType: 'application/json' }));
          return { taken, archiveKey: key };
        }),
      );
      const delivered: Delivered[] = [];
      const refused: Refused[] = [];
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'fulfilled') delivered.push(outcome.value);
        else refused.push({ message: batch[index]!.message, reason: `archive not written: ${(outcome.reason as Error).name}: ${(outcome.reason as Error).message}` });
      });
      return { delivered, refused };
    },
  };
}
