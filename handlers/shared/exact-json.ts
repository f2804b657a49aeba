/**
 * JSON read so that every number means exactly what its text says. JavaScript reads a JSON number as an
 * IEEE 754 double: `9007199254740993` silently becomes 9007199254740992, `1e400` Infinity, `1e-400` 0.
 * The API keeps and answers what a client sent, so it refuses such a number (a 400 naming where it is)
 * rather than store or compute with another one. "Exactly" here means: the double read from the text
 * prints back as the same decimal number (2^53, 1e300 and 0.1 do; 2^53 + 1 and 0.10000000000000000001 do
 * not), so what is stored, computed and answered is the number the client wrote. A client that needs more
 * digits sends them as a string.
 */
import { compareNumber } from 'lossless-json';

/** A number in a JSON text that no double holds exactly, and where it is. */
export interface InexactNumber {
  /** Dotted path from the document's root, e.g. `payload.numbers.1`; empty for a bare number. */
  readonly path: string;
  /** The number as written. */
  readonly literal: string;
  /** The double JavaScript reads from it. */
  readonly readAs: number;
}

/** Thrown by parseExactJson for a text holding numbers no double holds exactly. */
export class InexactNumberError extends Error {
  override readonly name = 'InexactNumberError';
  constructor(readonly numbers: readonly InexactNumber[]) {
    super(numbers.map(describeInexactNumber).join('; '));
  }
}

/** Stands in, during the parse, for a number read inexactly, so its path can be found afterwards. */
class InexactLiteral {
  constructor(
    readonly literal: string,
    readonly readAs: number,
  ) {}
}

/** The reviver's third argument (JSON.parse source text access, Node 21+), which TypeScript's lib omits. */
interface ReviverContext {
  readonly source?: string;
}

/** JSON.parse, refusing numbers no double holds exactly (InexactNumberError); a syntax error is JSON.parse's SyntaxError. */
export function parseExactJson(text: string): unknown {
  let inexact = false;
  const value: unknown = JSON.parse(text, (_key, parsed: unknown, context?: ReviverContext) => {
    if (typeof parsed !== 'number' || context?.source === undefined || isExact(context.source, parsed)) return parsed;
    inexact = true;
    return new InexactLiteral(context.source, parsed);
  });
  if (inexact) throw new InexactNumberError(inexactNumbersIn(value, []));
  return value;
}

function isExact(literal: string, readAs: number): boolean {
  return Number.isFinite(readAs) && compareNumber(literal, String(readAs)) === 0;
}

function inexactNumbersIn(value: unknown, path: readonly string[]): InexactNumber[] {
  if (value instanceof InexactLiteral) return [{ path: path.join('.'), literal: value.literal, readAs: value.readAs }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => inexactNumbersIn(child, [...path, key]));
}

function describeInexactNumber({ path, literal, readAs }: InexactNumber): string {
  const what = Number.isFinite(readAs) ? `would be read as ${readAs}` : 'is beyond the largest number, about 1.8e308';
  const problem = `${literal} ${what}: numbers are IEEE 754 doubles (integers exact up to 2^53, about 16 significant digits); send it as a string to keep it exactly`;
  return path === '' ? problem : `${path}: ${problem}`;
}
