/**
 * What the fault soak sends: files and jobs, a share of them made to fail on purpose, shuffled by a
 * seeded generator so that two runs with the same seed send the same mix in the same order.
 */
import { randomUUID } from 'node:crypto';
import { prng } from '../lib/prng';

/**
 * - `ok`: succeeds on its first attempt.
 * - `blip`: a job failing transiently for a few seconds after it is sent: retries recover it.
 * - `outage`: a job failing transiently for longer than its retries last: it dead-letters (unless a
 *   backlog delayed its attempts past the outage), and a redrive after the outage completes it.
 * - `poison`: a job failing on every attempt (`fail: true`): it dead-letters whatever happens.
 * - `malformed`: a file that is not UTF-8 text: rejected permanently, never retried.
 */
export type Behaviour = 'ok' | 'blip' | 'outage' | 'poison' | 'malformed';

export interface PlannedItem {
  readonly kind: 'file' | 'job';
  readonly behaviour: Behaviour;
}

export interface PlanOptions {
  readonly items: number;
  /** Share of items that are jobs (the rest are files). */
  readonly jobShare: number;
  /** Share of all items failing transiently (half `blip`, half `outage`); all are jobs, since only jobs can carry `failUntil`. */
  readonly transientShare: number;
  /** Share of all items that are poison jobs. */
  readonly poisonShare: number;
  /** Share of all items that are malformed files. */
  readonly malformedShare: number;
  readonly seed: number;
}

export function planItems(options: PlanOptions): PlannedItem[] {
  const count = (share: number) => Math.round(options.items * share);
  const transient = count(options.transientShare);
  const poison = count(options.poisonShare);
  const malformed = count(options.malformedShare);
  const jobs = Math.max(count(options.jobShare), transient + poison);
  const files = options.items - jobs;
  if (files < malformed) throw new Error('the plan has fewer files than malformed files');
  const blip = Math.floor(transient / 2);
  const items: PlannedItem[] = [
    ...Array.from({ length: blip }, () => ({ kind: 'job', behaviour: 'blip' }) as const),
    ...Array.from({ length: transient - blip }, () => ({ kind: 'job', behaviour: 'outage' }) as const),
    ...Array.from({ length: poison }, () => ({ kind: 'job', behaviour: 'poison' }) as const),
    ...Array.from({ length: jobs - transient - poison }, () => ({ kind: 'job', behaviour: 'ok' }) as const),
    ...Array.from({ length: malformed }, () => ({ kind: 'file', behaviour: 'malformed' }) as const),
    ...Array.from({ length: files - malformed }, () => ({ kind: 'file', behaviour: 'ok' }) as const),
  ];
  const random = prng(options.seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Seconds a `blip` job keeps failing after it is sent: past the first attempt, within the retries. */
export const BLIP_SECONDS = 15;
/** Seconds an `outage` job keeps failing after it is sent: longer than its three attempts' backoff (10 s + 20 s). */
export const OUTAGE_SECONDS = 90;

/** The POST /jobs body of a planned job. */
export function jobBody(behaviour: Behaviour): Record<string, unknown> {
  const body = { task: 'echo', payload: { soak: randomUUID() } };
  switch (behaviour) {
    case 'blip':
      return { ...body, failUntil: new Date(Date.now() + BLIP_SECONDS * 1000).toISOString() };
    case 'outage':
      return { ...body, failUntil: new Date(Date.now() + OUTAGE_SECONDS * 1000).toISOString() };
    case 'poison':
      return { ...body, fail: true };
    default:
      return body;
  }
}

/** A planned file's content: unique (identical content is recorded DUPLICATE), or bytes that are not UTF-8. */
export function fileBody(behaviour: Behaviour): Buffer {
  if (behaviour === 'malformed') return Buffer.from([0x69, 0x64, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0x0a]);
  return Buffer.from(`id,name,amount\n${randomUUID()},"Doe, Jane",12.5\n2,Bob,7\n`);
}
