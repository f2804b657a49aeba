/**
 * Redrives in a period, for the review: who redrove or archived dead letters, how many moved and how
 * many of those were processed since. The redrive audit ledger is the source; a stack without one
 * says so ("no redrive ledger") instead of showing zeros that would read as "nobody redrove".
 */
import type { RedriveReview, RedriveRunReview } from './model';

export type RedriveRun = RedriveRunReview;

/** Reads the runs recorded in a period; the review's only view of the ledger. */
export interface RedriveLedger {
  runsBetween(from: Date, to: Date): Promise<RedriveReview>;
}

export const NO_REDRIVE_LEDGER_NOTE = 'no redrive ledger';

/** A stack without a redrive ledger. */
export const noRedriveLedger: RedriveLedger = {
  runsBetween: async () => ({ available: false, note: NO_REDRIVE_LEDGER_NOTE }),
};

/** Moved and archived counts of one queue's runs; null when the ledger is not there. */
export function redriveCountsOf(review: RedriveReview, queue: string): { redriven: number; archived: number } | null {
  if (!review.available) return null;
  const runs = review.runs.filter((run) => run.queue === queue);
  return { redriven: runs.reduce((total, run) => total + run.moved, 0), archived: runs.reduce((total, run) => total + run.archived, 0) };
}
