/**
 * How the HTTP API handlers read a JSON request body, so that what they accept they can store, queue and
 * answer exactly as it was sent, and what they cannot is a 400 naming the problem:
 *
 * - UTF-8 text only: invalid bytes would silently become U+FFFD; a leading byte order mark, which
 *   Windows tools write, is skipped (as RFC 8259 allows);
 * - at most MAX_JSON_DEPTH levels of nesting: deeper documents exhaust the stack somewhere along the way
 *   (reading, validating, writing) at a depth that depends on the machine;
 * - no `__proto__` key: JavaScript objects built from the JSON (by the validation) cannot hold it as data,
 *   so it would vanish without a word;
 * - numbers as exact-json.ts reads them.
 */
import { isUtf8 } from 'node:buffer';
import { InexactNumberError, parseExactJson } from './exact-json';

/** Deep enough for any job payload; far below where reading or writing JSON runs out of stack. */
export const MAX_JSON_DEPTH = 100;

const RESERVED_KEY = '__proto__';

export type RequestJsonProblem = 'InvalidEncoding' | 'MalformedJson' | 'TooDeeplyNested' | 'ReservedKey' | 'InexactNumber';

/** Why a body is not a JSON document the API accepts; `problem` is the error code the client gets. */
export class RequestJsonError extends Error {
  override readonly name = 'RequestJsonError';
  constructor(
    readonly problem: RequestJsonProblem,
    message: string,
  ) {
    super(message);
  }
}

/** The body's JSON value; a RequestJsonError when it is not one the API accepts. */
export function readRequestJson(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) throw new RequestJsonError('InvalidEncoding', 'request body is not valid UTF-8 text');
  const text = bytes.toString('utf8').replace(/^\ufeff/, '');
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new RequestJsonError('TooDeeplyNested', `request body nests arrays and objects ${depth} levels deep; the limit is ${MAX_JSON_DEPTH}`);
  let value: unknown;
  try {
    value = parseExactJson(text);
  } catch (error) {
    if (error instanceof InexactNumberError) throw new RequestJsonError('InexactNumber', error.message);
    throw new RequestJsonError('MalformedJson', `request body is not valid JSON: ${(error as Error).message}`);
  }
  const reserved = reservedKeyPaths(value, []);
  if (reserved.length > 0) {
    throw new RequestJsonError('ReservedKey', reserved.map((path) => `${path}: the key "${RESERVED_KEY}" is not accepted`).join('; '));
  }
  return value;
}

/**
 * The deepest nesting of arrays and objects in a JSON text, brackets inside strings aside. Counted on the
 * text, before parsing, because the parse itself is what a deep document overflows; a small scan written
 * by hand, as JSON.parse has no depth option.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      depth += 1;
      deepest = Math.max(deepest, depth);
    } else if (char === ']' || char === '}') {
      depth -= 1;
    }
  }
  return deepest;
}

function reservedKeyPaths(value: unknown, path: readonly string[]): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = Object.hasOwn(value, RESERVED_KEY) ? [[...path, RESERVED_KEY].join('.')] : [];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => reservedKeyPaths(child, [...path, key]))];
}
