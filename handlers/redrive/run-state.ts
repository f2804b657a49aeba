/**
 * A run's record as it moves along: pure functions from one state to the next, so every action and chunk
 * derives counts, status and the result line the same way.
 */
import { isFinished, ZERO_COUNTS, type RedriveRun, type RunCounts, type RunFailure, type RunStatus } from '../../contract/redrive';
import type { StoredRun } from './ledger';
import type { ValidRequest } from './request';

/** Failures a run keeps by name (its counts have them all). */
const MAX_FAILURES = 20;

export function newRun(request: ValidRequest, runId: string, startedAt: string, toMove: number): RedriveRun {
  return {
    runId,
    queue: request.queue.name,
    kind: request.action === 'archive' ? 'archive' : 'redrive',
    mode: request.action === 'archive' ? 'selective' : request.mode,
    dryRun: request.dryRun,
    ...(request.filter ? { filter: request.filter } : {}),
    ...(request.messageIds ? { messageIds: request.messageIds } : {}),
    maxPerSecond: request.maxPerSecond,
    ...(request.limit !== undefined ? { limit: request.limit } : {}),
    requestedBy: request.requestedBy,
    ...(request.callerArn ? { callerArn: request.callerArn } : {}),
    startedAt,
    updatedAt: startedAt,
    status: 'RUNNING',
    toMove,
    counts: ZERO_COUNTS,
    ...(request.canary ? { canary: { size: request.canary, state: 'moving', itemIds: [] } } : {}),
    failures: [],
  };
}

/** The run with a pass's counts and failures added. */
export function withCounts<T extends RedriveRun>(run: T, counts: RunCounts, failures: readonly RunFailure[] = []): T {
  const sum = Object.fromEntries(Object.entries(run.counts).map(([key, value]) => [key, value + counts[key as keyof RunCounts]])) as unknown as RunCounts;
  return { ...run, counts: sum, failures: [...run.failures, ...failures].slice(0, MAX_FAILURES) };
}

export function finished<T extends RedriveRun>(run: T, status: RunStatus, result: string, at: Date): T {
  return { ...run, status, result, finishedAt: at.toISOString() };
}

/** How a run ended, in one line. */
export function summary(run: Pick<RedriveRun, 'kind' | 'counts'>): string {
  const { moved, archived, failed } = run.counts;
  const done = run.kind === 'archive' ? `${archived} archived` : `${moved} moved`;
  return failed > 0 ? `${done}, ${failed} failed (left in the DLQ)` : done;
}

/**
 * What a caller is shown: the stored run, CANCELLING once a cancel was asked for and the run has not
 * ended yet, without the ledger's own keys.
 */
export function viewOf(stored: StoredRun): RedriveRun {
  const { runKey: _key, cancelRequestedAt, cancelRequestedBy: _by, ...run } = stored;
  return cancelRequestedAt && !isFinished(run.status) ? { ...run, status: 'CANCELLING' } : run;
}
