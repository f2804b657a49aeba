/**
 * A canary's verdict, read from the status table: the items moved first either all succeed (PROCESSED or
 * DUPLICATE, a replay of work already done included), or one of them fails again after the move and the
 * redrive stops there, naming it and why.
 */
import type { RunFailure } from '../../contract/redrive';
import { isDone, type StatusItem } from '../../contract/status-item';

export type CanaryVerdict = { readonly state: 'passed' } | { readonly state: 'waiting' } | { readonly state: 'failed'; readonly failures: readonly RunFailure[] };

/** How often the status table is read while waiting. */
const POLL_MS = 500;

/**
 * The verdict on the items now. An item failed again when, after the move, it was written FAILED, or a
 * second attempt started (the first one failed; its retry may yet succeed, but a canary wants no failure).
 */
export function judgeCanary(itemIds: readonly string[], items: ReadonlyMap<string, StatusItem>, movedAt: string): CanaryVerdict {
  if (itemIds.length === 0) return { state: 'failed', failures: [{ reason: 'the canary messages name no item, so their outcome cannot be read' }] };
  const failures: RunFailure[] = [];
  let waiting = false;
  for (const itemId of itemIds) {
    const item = items.get(itemId);
    if (isDone(item?.status)) continue;
    const since = item !== undefined && item.updatedAt > movedAt;
    if (since && (item.status === 'FAILED' || (item.status === 'PROCESSING' && (item.attempts ?? 0) >= 2))) {
      failures.push({ itemId, reason: item.lastError ? `${item.lastError.class}: ${item.lastError.message}` : `${item.status} after the move` });
    } else {
      waiting = true;
    }
  }
  if (failures.length > 0) return { state: 'failed', failures };
  return waiting ? { state: 'waiting' } : { state: 'passed' };
}

/** Reads the items until the verdict is in or the deadline passes (then: still waiting). */
export async function awaitCanary(
  read: (ids: readonly string[]) => Promise<ReadonlyMap<string, StatusItem>>,
  itemIds: readonly string[],
  movedAt: string,
  deadline: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<CanaryVerdict> {
  for (;;) {
    const verdict = judgeCanary(itemIds, await read(itemIds), movedAt);
    if (verdict.state !== 'waiting' || Date.now() + POLL_MS >= deadline) return verdict;
    await sleep(POLL_MS);
  }
}
