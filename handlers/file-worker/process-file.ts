/**
 * One attempt at one uploaded file: check it, stream-parse it from S3 (pinned to the announced version),
 * then either record it as a duplicate of the file that first had the same content, or move it to
 * `processed/` and record it PROCESSED. An attempt after a crash mid-move finishes the move it finds done.
 * Throws on failure; the failure policy decides what that means.
 */
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { StatusStore } from '../shared/status-store';
import type { Attempt } from '../shared/work-item';
import { scanCsv } from './csv-scan';
import { ObjectGoneError } from './errors';
import type { FileRef } from './notification';
import { fileIdOf, fileNameOf, processedKeyOf } from '../../contract/s3-layout';
import { checkUpload, type UploadRules } from './upload-rules';

export interface FileProcessorDeps {
  readonly s3: S3Client;
  readonly store: StatusStore;
  readonly rules: UploadRules;
}

interface OutcomeBase {
  readonly fileId: string;
  readonly rowCount: number;
  readonly contentHash: string;
  readonly completedAt: string;
}

/** What a completed file run produced; stored as the idempotent result, so it must stay plain JSON. */
export type FileOutcome =
  | (OutcomeBase & { readonly status: 'PROCESSED'; readonly processedKey: string })
  | (OutcomeBase & { readonly status: 'DUPLICATE'; readonly duplicateOf: string });

/** S3 answers meaning the announced version is not there any more: retrying cannot bring it back. */
const GONE_ERRORS = new Set(['NoSuchKey', 'NoSuchVersion', 'PreconditionFailed']);

/** The delivery a file run belongs to: its receive number, and its run for the status store's fence. */
export type FileAttempt = Pick<Attempt, 'number' | 'run'>;

export function createFileProcessor(deps: FileProcessorDeps): (file: FileRef, attempt: FileAttempt) => Promise<FileOutcome> {
  const { s3, store, rules } = deps;

  return async function processFile(file, { number: attempt, run }) {
    const fileId = fileIdOf(file.key);
    const identity = { fileName: fileNameOf(file.key), bucket: file.bucket, s3Key: file.key };
    checkUpload(file, rules);
    await store.update(fileId, 'file', 'PROCESSING', { ...identity, attempts: attempt }, run);

    const { object, moved } = await readUpload(file);
    const scan = await scanCsv(bodyStream(object.Body), { maxBytes: rules.maxUploadBytes, expectedBytes: object.ContentLength });

    const owner = await store.claimContentHash(scan.contentHash, fileId);
    const result = { rowCount: scan.rowCount, contentHash: scan.contentHash };
    if (owner !== fileId) {
      const completedAt = new Date().toISOString();
      await store.update(fileId, 'file', 'DUPLICATE', { ...identity, ...result, duplicateOf: owner, attempts: attempt, completedAt }, run);
      return { status: 'DUPLICATE', fileId, ...result, duplicateOf: owner, completedAt };
    }

    try {
      const processedKey = processedKeyOf(file.key);
      if (!moved) {
        await whileAvailable(file, () =>
          s3.send(new CopyObjectCommand({ Bucket: file.bucket, Key: processedKey, CopySource: copySourceOf(file), ...copyCondition(file) })),
        );
        // No VersionId: on the versioned bucket this adds a delete marker, so the upload stays recoverable
        // as a noncurrent version until the lifecycle rule expires it.
        await s3.send(new DeleteObjectCommand({ Bucket: file.bucket, Key: file.key }));
      }
      const completedAt = new Date().toISOString();
      await store.update(fileId, 'file', 'PROCESSED', { ...identity, ...result, processedKey, attempts: attempt, completedAt }, run);
      return { status: 'PROCESSED', fileId, ...result, processedKey, completedAt };
    } catch (error) {
      // Free the content for a later identical upload: otherwise it would be marked a duplicate of a file that never completed.
      await store.releaseContentHash(scan.contentHash, fileId);
      throw error;
    }
  };

  /**
   * The announced upload's bytes, or the copy under processed/ when an earlier attempt of this run moved
   * it and crashed before recording it (`moved`). Only an ETag-pinned upload (an unversioned bucket) needs
   * this: a versionId still names the upload after its delete, and the ETag proves the copy holds the same bytes.
   */
  async function readUpload(file: FileRef): Promise<{ object: GetObjectCommandOutput; moved: boolean }> {
    try {
      return { object: await whileAvailable(file, () => s3.send(new GetObjectCommand({ Bucket: file.bucket, Key: file.key, ...pinnedVersion(file) }))), moved: false };
    } catch (error) {
      if (!(error instanceof ObjectGoneError) || file.versionId !== undefined || file.eTag === undefined) throw error;
      const eTag = file.eTag;
      const copy = await whileAvailable(file, () => s3.send(new GetObjectCommand({ Bucket: file.bucket, Key: processedKeyOf(file.key), IfMatch: quotedETag(eTag) }))).catch(
        (copyError: unknown) => {
          if (copyError instanceof ObjectGoneError) return undefined;
          throw copyError;
        },
      );
      if (copy === undefined) throw error;
      return { object: copy, moved: true };
    }
  }
}

/** GetObject pinned to the version the event announced: its VersionId, else an If-Match on its ETag. */
function pinnedVersion(file: FileRef): { VersionId: string } | { IfMatch: string } | Record<string, never> {
  if (file.versionId !== undefined) return { VersionId: file.versionId };
  return file.eTag !== undefined ? { IfMatch: quotedETag(file.eTag) } : {};
}

function copyCondition(file: FileRef): { CopySourceIfMatch: string } | Record<string, never> {
  return file.versionId === undefined && file.eTag !== undefined ? { CopySourceIfMatch: quotedETag(file.eTag) } : {};
}

/** `bucket/key[?versionId=...]`, URL-encoded per segment as CopyObject requires. */
function copySourceOf(file: FileRef): string {
  const key = file.key.split('/').map(encodeURIComponent).join('/');
  const source = `${file.bucket}/${key}`;
  return file.versionId !== undefined ? `${source}?versionId=${encodeURIComponent(file.versionId)}` : source;
}

/** S3 events carry the ETag bare; HTTP conditions want it quoted. */
function quotedETag(eTag: string): string {
  return eTag.startsWith('"') ? eTag : `"${eTag}"`;
}

/** The Node stream of a GetObject body (the SDK's Node runtime always returns one). */
function bodyStream(body: unknown): NodeJS.ReadableStream {
  if (body === undefined || body === null || typeof (body as NodeJS.ReadableStream).pipe !== 'function') {
    throw new TypeError('GetObject returned no readable body stream');
  }
  return body as NodeJS.ReadableStream;
}

/** Runs an S3 call on the announced version, turning "that version is gone" into a permanent ObjectGoneError. */
async function whileAvailable<T>(file: FileRef, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (GONE_ERRORS.has(name) || status === 404 || status === 412) {
      throw new ObjectGoneError(`s3://${file.bucket}/${file.key} (${file.version}) is no longer available: ${name || status}`);
    }
    throw error;
  }
}
