/**
 * Reading and writing CloudWatch's AWS JSON 1.0 wire values: timestamps as epoch seconds, typed
 * parameters with CloudWatch's errors, opaque pagination tokens.
 */
import { CloudWatchError, invalidParameterValue, missingParameter } from '../errors';

export type Input = Record<string, unknown>;

/** A timestamp parameter (epoch seconds, as the SDK and CLI send it, or an ISO string) in epoch ms. */
export function timestampParameter(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw invalidParameterValue(`The parameter ${name} must be a timestamp.`);
  return ms;
}

export function requiredTimestamp(input: Input, name: string): number {
  const ms = timestampParameter(input, name);
  if (ms === undefined) throw missingParameter(name);
  return ms;
}

/** Epoch ms to the wire's epoch seconds. */
export function toWireTimestamp(ms: number): number {
  return ms / 1000;
}

export function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameterValue(`The parameter ${name} must be a string.`);
  return value;
}

export function optionalList<T = unknown>(input: Input, name: string): T[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParameterValue(`The parameter ${name} must be a list.`);
  return value as T[];
}

export function optionalInteger(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameterValue(`The parameter ${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

export function oneOfParameter<T extends string>(input: Input, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(input, name);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    throw invalidParameterValue(`The parameter ${name} must be one of ${allowed.join(', ')} (got ${value}).`);
  }
  return value as T | undefined;
}

/** One page of `items` from the offset `NextToken` carries; `nextToken` when more remain. */
export function paginate<T>(items: readonly T[], nextToken: string | undefined, pageSize: number): { page: T[]; nextToken?: string } {
  const offset = tokenOffset(nextToken);
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return { page, ...(next < items.length ? { nextToken: offsetToken(next) } : {}) };
}

/** A series of datapoints of one query's result, as GetMetricData pages them. */
export interface PagedSeries<P> {
  readonly points: readonly P[];
}

/**
 * One page of at most `maxDatapoints` datapoints over every series in order, as GetMetricData pages:
 * a series cut by the page's end continues on the next page (`complete: false`, AWS's PartialData),
 * and a series without datapoints is answered once, on the page where its turn comes.
 */
export function paginateDatapoints<S extends PagedSeries<unknown>>(
  series: readonly S[],
  nextToken: string | undefined,
  maxDatapoints: number,
): { page: Array<S & { complete: boolean }>; nextToken?: string } {
  const total = series.reduce((sum, one) => sum + one.points.length, 0);
  const from = tokenOffset(nextToken);
  const to = Math.min(total, from + maxDatapoints);
  const page: Array<S & { complete: boolean }> = [];
  let start = 0;
  for (const one of series) {
    const end = start + one.points.length;
    const overlaps = start < to && end > from;
    const emptyHere = start === end && from <= start && (start < to || to === total);
    if (overlaps || emptyHere) {
      page.push({ ...one, points: one.points.slice(Math.max(0, from - start), Math.max(0, to - start)), complete: end <= to });
    }
    start = end;
  }
  return { page, ...(to < total ? { nextToken: offsetToken(to) } : {}) };
}

function tokenOffset(nextToken: string | undefined): number {
  if (nextToken === undefined) return 0;
  const offset = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
  if (!/^[A-Za-z0-9_-]+$/.test(nextToken) || !Number.isInteger(offset) || offset < 0) {
    throw new CloudWatchError('InvalidNextToken', 'The NextToken is not valid.', 'InvalidNextToken');
  }
  return offset;
}

function offsetToken(offset: number): string {
  return Buffer.from(String(offset)).toString('base64url');
}
