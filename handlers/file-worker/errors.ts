/**
 * Why a file is rejected. Every class but the last is a `PermanentError` (bad input: retrying cannot help),
 * so the failure policy records it FAILED with this message and acknowledges the message. Anything else a
 * file run throws is transient and retried with backoff until the DLQ, which pages: S3 throttling or
 * failing, a cut download, DynamoDB, and a missing permission too (it fails every attempt, but a person
 * fixes it and a retry or a redrive then succeeds, so it must page rather than pass as bad input).
 */
import { PermanentError, UnreadableMessageError } from '../shared/errors';

/** An SQS body that is none of the accepted notification shapes; it cannot be tied to a file. */
export class UnparseableMessageError extends UnreadableMessageError {
  override readonly name = 'UnparseableMessageError';
}

/** The object is not under the upload prefix, so it is not an upload. */
export class OutsideUploadPrefixError extends PermanentError {
  override readonly name = 'OutsideUploadPrefixError';
}

/** The event names a bucket other than the upload bucket. */
export class WrongBucketError extends PermanentError {
  override readonly name = 'WrongBucketError';
}

export class FileTooLargeError extends PermanentError {
  override readonly name = 'FileTooLargeError';
}

/** No bytes, or nothing but blank lines: there is not even a header row. */
export class EmptyFileError extends PermanentError {
  override readonly name = 'EmptyFileError';
}

/** The file is not CSV text at all: a non-CSV extension, binary content or invalid UTF-8. */
export class NotCsvError extends PermanentError {
  override readonly name = 'NotCsvError';
}

/** The file is text but not well-formed CSV (unclosed quote, wrong column count...); the message names the line. */
export class CsvFormatError extends PermanentError {
  override readonly name = 'CsvFormatError';
}

/** The object version the event announced no longer exists (deleted, or overwritten when the bucket is unversioned). */
export class ObjectGoneError extends PermanentError {
  override readonly name = 'ObjectGoneError';
}

/** The download ended before the announced length: a network fault, so transient (not a PermanentError). */
export class IncompleteDownloadError extends Error {
  override readonly name = 'IncompleteDownloadError';
}
