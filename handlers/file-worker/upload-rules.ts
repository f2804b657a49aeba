/**
 * The checks an upload must pass before a byte is downloaded: right bucket, under the upload prefix, a
 * CSV-like name, a size within the limit. Content checks (binary, UTF-8, CSV syntax) happen while streaming.
 */
import { EmptyFileError, FileTooLargeError, NotCsvError, OutsideUploadPrefixError, WrongBucketError } from './errors';
import type { FileRef } from './notification';
import { fileNameOf, keyBelow, UPLOAD_PREFIX } from '../../contract/s3-layout';

export interface UploadRules {
  readonly bucket: string;
  readonly maxUploadBytes: number;
}

/**
 * Name endings accepted as CSV. `.txt` because spreadsheet tools export CSV under it and presign allows
 * text/plain; no extension because a name is optional on presign. Anything else (.xlsx, .json, .png...)
 * is refused by name, before downloading: the content sniffing still guards the accepted ones.
 */
export const CSV_EXTENSIONS: readonly string[] = ['.csv', '.txt'];

/** The extension of a file name, lower case, with its dot; '' when there is none (a leading dot does not count). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot).toLowerCase() : '';
}

/** Throws the PermanentError that rejects this upload, if any. */
export function checkUpload(file: FileRef, rules: UploadRules): void {
  if (file.bucket !== rules.bucket) throw new WrongBucketError(`bucket ${file.bucket} is not the upload bucket ${rules.bucket}`);
  if (keyBelow(file.key, UPLOAD_PREFIX) === undefined) {
    throw new OutsideUploadPrefixError(`key ${file.key} is not under ${UPLOAD_PREFIX}`);
  }
  const extension = extensionOf(fileNameOf(file.key));
  if (extension !== '' && !CSV_EXTENSIONS.includes(extension)) {
    throw new NotCsvError(`file name extension ${extension} is not a CSV type (accepted: ${CSV_EXTENSIONS.join(', ')} or none)`);
  }
  if (file.size !== undefined && file.size > rules.maxUploadBytes) {
    throw new FileTooLargeError(`file is ${file.size} bytes; the limit is ${rules.maxUploadBytes}`);
  }
  if (file.size === 0) throw new EmptyFileError('file is empty (0 bytes)');
}
