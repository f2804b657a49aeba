/**
 * The bucket layout: uploads arrive as `uploads/<fileId>/<safe name>` (the fileId a uuid) and move to
 * `processed/<fileId>/<safe name>`; only `processed/` is ever served. Other keys under `uploads/` take
 * the rest of the key as their fileId, slashes kept.
 */

/** Uploads land under `uploads/<fileId>/<name>`. */
export const UPLOAD_PREFIX = 'uploads/';
/** The file worker moves processed files to `processed/<fileId>/<name>`; only these are served. */
export const PROCESSED_PREFIX = 'processed/';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a presigned upload of `fileName` goes. */
export function uploadKeyOf(fileId: string, fileName: string): string {
  return `${UPLOAD_PREFIX}${fileId}/${fileName}`;
}

/** The key below `prefix`, or undefined when the key is not under it (or is the prefix itself). */
export function keyBelow(key: string, prefix: string): string | undefined {
  return key.startsWith(prefix) && key.length > prefix.length ? key.slice(prefix.length) : undefined;
}

/**
 * The fileId of an object: the uuid of `uploads/<uuid>/<name>`, else the rest of the key after the upload
 * prefix. A key outside the prefix (rejected later) keeps its whole key, so its failure is still recorded.
 */
export function fileIdOf(key: string): string {
  const rest = keyBelow(key, UPLOAD_PREFIX);
  if (rest === undefined) return key;
  const segments = rest.split('/');
  return segments.length === 2 && UUID.test(segments[0]!) && segments[1] !== '' ? segments[0]! : rest;
}

/** The object's name: its last key segment. */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Where an upload moves once processed: the same rest of key under the processed prefix. */
export function processedKeyOf(key: string): string {
  const rest = keyBelow(key, UPLOAD_PREFIX);
  if (rest === undefined) throw new RangeError(`${key} is not under ${UPLOAD_PREFIX}`);
  return PROCESSED_PREFIX + rest;
}
