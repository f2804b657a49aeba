/**
 * Object keys as S3 notifications carry them. The bucket layout itself (prefixes, fileIds) is the
 * contract's (contract/s3-layout.ts).
 */
import { UnparseableMessageError } from './errors';

/**
 * The object key as stored: S3 notifications URL-encode keys with `+` for spaces (form encoding), so `+`
 * is turned back into a space before percent-decoding (a literal `+` arrives as `%2B`).
 */
export function decodeS3Key(encodedKey: string): string {
  try {
    return decodeURIComponent(encodedKey.replaceAll('+', ' '));
  } catch {
    throw new UnparseableMessageError(`object key ${JSON.stringify(encodedKey)} is not valid URL encoding`);
  }
}
