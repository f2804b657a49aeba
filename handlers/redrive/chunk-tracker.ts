/**
 * The time and the checks of one chunk of a run: when it must stop receiving (well within the
 * invocation's timeout), how long what it receives stays hidden (until the invocation ends), and, between
 * batches, whether the run was cancelled or its lease lost, with its progress saved along the way.
 */
import type { RedriveQueue } from './settings';
import type { RedriveDeps } from './deps';
import type { StoredRun } from './ledger';

/** A chunk runs at most this long: well within Lambda's 15 minutes. */
export const MAX_CHUNK_MS = 10 * 60_000;
/** The share of the invocation's remaining time a chunk may use; the rest is for wrapping up and handing off. */
const CHUNK_SHARE = 0.75;
/** A message received stays hidden this much past the invocation's end, so it never reappears while still held. */
const HOLD_MARGIN_SECONDS = 5;
/** How often the run's record is read for a cancel, and its progress saved. */
const CHECK_EVERY_MS = 2_000;
/** How often the lease is renewed: well within its lifetime. */
const RENEW_EVERY_MS = 30_000;

export type StopReason = 'cancelled' | 'lease-lost';

export class ChunkTracker {
  /** Epoch ms after which the chunk receives no more messages. */
  readonly deadline: number;
  private stopReasonValue: StopReason | undefined;
  private lastCheck = Date.now();
  private lastRenew = Date.now();
  private lastSave = 0;

  constructor(
    private readonly deps: Pick<RedriveDeps, 'ledger' | 'lease'>,
    private readonly queue: RedriveQueue,
    private readonly run: Pick<StoredRun, 'runId' | 'runKey'>,
    private readonly chunk: number,
    private readonly remainingMs: () => number,
  ) {
    this.deadline = Date.now() + Math.max(0, Math.min(MAX_CHUNK_MS, remainingMs() * CHUNK_SHARE - 1_000));
  }

  get stopReason(): StopReason | undefined {
    return this.stopReasonValue;
  }

  /** Seconds a message received now stays hidden: until this invocation can no longer be running. */
  holdSeconds(): number {
    return Math.ceil(this.remainingMs() / 1000) + HOLD_MARGIN_SECONDS;
  }

  /** Whether to stop now: a cancel was asked for, or the lease is no longer this chunk's. */
  async shouldStop(): Promise<boolean> {
    const now = Date.now();
    if (this.stopReasonValue || now - this.lastCheck < CHECK_EVERY_MS) return this.stopReasonValue !== undefined;
    this.lastCheck = now;
    const stored = await this.deps.ledger.get(this.queue.name, this.run.runKey);
    if (stored?.cancelRequestedAt) this.stopReasonValue = 'cancelled';
    if (now - this.lastRenew >= RENEW_EVERY_MS) {
      this.lastRenew = now;
      if (!(await this.deps.lease.renew(this.queue.name, this.run.runId, this.chunk))) this.stopReasonValue = 'lease-lost';
    }
    return this.stopReasonValue !== undefined;
  }

  /** Saves the run's progress, at most every couple of seconds. */
  async progress(run: StoredRun): Promise<void> {
    if (Date.now() - this.lastSave < CHECK_EVERY_MS) return;
    this.lastSave = Date.now();
    await this.deps.ledger.save(run);
  }
}
