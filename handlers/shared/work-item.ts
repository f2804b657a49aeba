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
}

/** Milliseconds from the item's entry into the pipeline to its completion; never negative (clock skew). */
export function endToEndLatencyMs(item: Pick<WorkItem<unknown>, 'receivedAt'>, completedAt: string): number {
  return Math.max(0, Date.parse(completedAt) - Date.parse(item.receivedAt));
}
