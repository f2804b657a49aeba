/**
 * The business keys of a files-queue message: one per object version it announces, the same for every
 * delivery of that version (a redriven message included). Pure: no Powertools runtime, no AWS client,
 * so tools (dead-letter peek, redrive) can use it as the worker does.
 */
import { fileIdOf } from '../../contract/s3-layout';
import type { BusinessKey } from '../shared/work-item';
import { parseNotification, type FileRef } from './notification';

/** An object version's key: its fileId, and bucket + key + version for idempotency. */
export function fileBusinessKey(file: FileRef): BusinessKey {
  return { id: fileIdOf(file.key), idempotencyKey: [file.bucket, file.key, file.version] };
}

/**
 * The keys of the files a message body announces: none for an s3:TestEvent or a message without an
 * ObjectCreated record. Throws UnparseableMessageError when the body is no S3 notification.
 */
export function businessKeysOf(body: string): BusinessKey[] {
  const notification = parseNotification(body);
  return notification.kind === 'test' ? [] : notification.files.map(fileBusinessKey);
}
