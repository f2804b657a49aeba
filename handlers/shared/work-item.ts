/**
 * What the SQS worker skeleton (sqs-worker.ts) and a worker kind exchange: the items a message announces
 * and what running one produced. Types and pure functions only, so a tool can derive a message's
 * business keys without loading Powertools or an AWS client.
 */
import type { ItemStatus } from '../../contract/status-item';

/** What identifies one item of work across deliveries; never the SQS messageId, which a redrive changes. */
export interface BusinessKey {
  /** The item's status-table id: its fileId or jobId. */
  readonly id: string;
  /** What Powertools hashes into the idempotency key: equal for every delivery of the same item. */
  readonly idempotencyKey: string | readonly string[];
}

/** One item a message announces (a file message may announce several), as the worker kind's `run` receives it. */
export interface WorkItem<TInput> extends BusinessKey {
  /** What `run` needs; plain JSON, like the whole item. */
  readonly input: TInput;
  /** When the item entered the pipeline (upload or submission, ISO-8601): the start of its EndToEndLatency. */
  readonly receivedAt: string;
  /** Ids put on every log line and on the trace subsegment of this item, next to `<kind>Id` (S3 key, task...). */
  readonly correlation: Readonly<Record<string, string>>;
}

/** What a finished run reports; stored by Powertools as the idempotent result, so it must stay plain JSON. */
export interface ItemOutcome {
  /** PROCESSED counts as the kind's `succeeded`, with its EndToEndLatency; DUPLICATE (content seen before) as neither. */
  readonly status: Extract<ItemStatus, 'PROCESSED' | 'DUPLICATE'>;
  /** ISO-8601. */
  readonly completedAt: string;
}

/** The delivery a run belongs to. */
export interface Attempt {
  /** The receive number of this delivery: 1 on the first. */
  readonly number: number;
  /** Milliseconds until the invocation times out. */
  remainingTimeMs(): number;
  /** Milliseconds the invocation had when it started: the most time any attempt can ever have. */
  readonly invocationMs: number;
  /** The run this delivery belongs to (runKeyOf): the status store fences the item's writes with it. */
  readonly run: string;
}

/** An item's run as the status store records it: its idempotency key as JSON text, equal for every delivery. */
export function runKeyOf(item: Pick<BusinessKey, 'idempotencyKey'>): string {
  return JSON.stringify(item.idempotencyKey);
}

/** Milliseconds from the item's entry into the pipeline to its completion; never negative (clock skew). */
export function endToEndLatencyMs(item: Pick<WorkItem<unknown>, 'receivedAt'>, completedAt: string): number {
  return Math.max(0, Date.parse(completedAt) - Date.parse(item.receivedAt));
}

/** How far the clocks of S3, submit-job and a worker may disagree: an entry later than the completion by more is no clock skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why an item's entry time cannot be when it entered this pipeline, or undefined when it can. One such
 * time (a replayed sample S3 event from 1970, a hand-sent message) would be a latency of decades: in a
 * p99 over a few hundred items it is the p99, and the freshness alarms would judge it instead of the
 * pipeline. Implausible: older than `maxAgeMs` before the completion (the longest any message of the queue
 * is kept, so no real item is older), or later than the completion beyond MAX_CLOCK_SKEW_MS.
 */
export function implausibleEntryTime(item: Pick<WorkItem<unknown>, 'receivedAt'>, completedAt: string, maxAgeMs: number): string | undefined {
  const ageMs = Date.parse(completedAt) - Date.parse(item.receivedAt);
  if (ageMs > maxAgeMs) return `entered ${item.receivedAt}, longer before it completed than the ${formatDuration(maxAgeMs)} any message of this queue is kept`;
  if (-ageMs > MAX_CLOCK_SKEW_MS) {
    return `entered ${item.receivedAt}, ${Math.round(-ageMs / 1000)} s after it completed: more than the ${MAX_CLOCK_SKEW_MS / 1000} s of clock skew allowed`;
  }
  return undefined;
}

function formatDuration(ms: number): string {
  const days = ms / 86_400_000;
  return Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}
