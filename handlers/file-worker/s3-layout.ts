/**
 * The bucket layout (team contract): uploads arrive as `uploads/<uuid>/<safe name>`, where the uuid is the
 * fileId, and move to `processed/<uuid>/<safe name>`. Other keys under `uploads/` take the rest of the key
 * as their fileId, slashes kept.
 */
import { UnparseableMessageError } from './errors';

/** Uploads land under `uploads/<fileId>/<name>`. */
export const UPLOAD_PREFIX = 'uploads/';
/** The file worker moves processed files to `processed/<fileId>/<name>`; only these are served. */
export const PROCESSED_PREFIX = 'processed/';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/** The key below `prefix`, or undefined when the key is not under it (or is the prefix itself). */
export function keyBelow(key: string, prefix: string): string | undefined {
  return key.startsWith(prefix) && key.length > prefix.length ? key.slice(prefix.length) : undefined;
}

/**
 * The fileId of an object: the uuid of `uploads/<uuid>/<name>`, else the rest of the key after the upload
 * prefix. A key outside the prefix (rejected later) keeps its whole key, so its failure is still recorded.
 */
export function fileIdOf(key: string, uploadPrefix: string): string {
  const rest = keyBelow(key, uploadPrefix);
  if (rest === undefined) return key;
  const segments = rest.split('/');
  return segments.length === 2 && UUID.test(segments[0]!) && segments[1] !== '' ? segments[0]! : rest;
}

/** The object's name: its last key segment. */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Where an upload moves once processed: the same rest of key under the processed prefix. */
export function processedKeyOf(key: string, uploadPrefix: string, processedPrefix: string): string {
  const rest = keyBelow(key, uploadPrefix);
  if (rest === undefined) throw new RangeError(`${key} is not under ${uploadPrefix}`);
  return processedPrefix + rest;
}
