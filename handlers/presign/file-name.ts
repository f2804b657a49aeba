/**
 * Upload file names. A name becomes the last segment of `uploads/<fileId>/<name>` and later of
 * `processed/<fileId>/<name>` and a download URL, so it must stay one harmless path segment.
 */

/** A common filesystem limit for one name; S3 would accept longer keys, browsers and disks would not. */
export const MAX_FILE_NAME_BYTES = 255;

// Cc: C0 and C1 control characters and DEL.
const CONTROL_CHARACTER = /\p{Cc}/u;
const PATH_SEPARATOR = /[/\\]/;

/** The first UTF-16 code unit that is half of no pair. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `name` is not a safe upload name, or undefined when it is. */
export function fileNameProblem(name: string): string | undefined {
  // JSON can carry a lone surrogate (`"\ud800"`), but no UTF-8 key, URL or header can: S3 keys are UTF-8.
  const lone = LONE_SURROGATE.exec(name)?.[0];
  if (lone !== undefined) return `must be well-formed Unicode text (it holds a lone surrogate, \\u${lone.charCodeAt(0).toString(16)})`;
  if (name.trim() === '') return 'must not be empty';
  if (PATH_SEPARATOR.test(name)) return 'must not contain a path separator (/ or \\)';
  if (name.includes('..')) return 'must not contain ".."';
  if (name === '.') return 'must not be "."';
  if (CONTROL_CHARACTER.test(name)) return 'must not contain control characters';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_FILE_NAME_BYTES) return `is ${bytes} bytes in UTF-8; the limit is ${MAX_FILE_NAME_BYTES}`;
  return undefined;
}

/** The name used when the client declares none, as the seeds' empty POST /presign does: `upload-20300101T000000123Z.csv`. */
export function generatedFileName(now: Date): string {
  return `upload-${now.toISOString().replace(/[-:.]/g, '')}.csv`;
}
