/**
 * Redrives in a period, for the review: who redrove or archived dead letters, how many moved and how
 * many of those were processed since. The redrive audit ledger is the source; a stack without one
 * says so ("no redrive ledger") instead of showing zeros that would read as "nobody redrove".
 */
import { isDone, type StatusItem } from '../../contract/status-item';
import type { Ledger, StoredRun } from '../redrive/ledger';
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

/**
 * The redrive function's audit ledger, read for the review: each queue's runs started in the period (dry
 * runs left out: they moved nothing), and for a selective redrive how many of its moved messages have all
 * their items done since, from the status table. A move task (`all`) records no messages: null.
 */
export function auditLedgerRedrives(ledger: Ledger, queues: readonly string[], statusOf: (ids: readonly string[]) => Promise<Map<string, StatusItem>>): RedriveLedger {
  const succeededAfter = async (run: StoredRun): Promise<number | null> => {
    if (run.kind !== 'redrive' || run.mode !== 'selective') return null;
    if (run.counts.moved === 0) return 0;
    const entries = await ledger.entries(run.queue, run.runId, run.counts.moved);
    const items = await statusOf(entries.flatMap((entry) => entry.itemIds));
    return entries.filter((entry) => entry.itemIds.length > 0 && entry.itemIds.every((id) => isDone(items.get(id)?.status))).length;
  };
  return {
    runsBetween: async (from, to) => {
      const runs: RedriveRunReview[] = [];
      for (const queue of queues) {
        for (const run of await ledger.runsStartedBetween(queue, from, to)) {
          if (run.dryRun) continue;
          runs.push({
            queue,
            requestedBy: run.requestedBy,
            at: run.startedAt,
            action: run.kind === 'archive' ? 'archive' : `redrive (${run.mode})`,
            moved: run.counts.moved,
            failed: run.counts.failed,
            archived: run.counts.archived,
            succeededAfter: await succeededAfter(run),
          });
        }
      }
      return { available: true, runs: runs.sort((a, b) => a.at.localeCompare(b.at)) };
    },
  };
}

/** Moved and archived counts of one queue's runs; null when the ledger is not there. */
export function redriveCountsOf(review: RedriveReview, queue: string): { redriven: number; archived: number } | null {
  if (!review.available) return null;
  const runs = review.runs.filter((run) => run.queue === queue);
  return { redriven: runs.reduce((total, run) => total + run.moved, 0), archived: runs.reduce((total, run) => total + run.archived, 0) };
}
