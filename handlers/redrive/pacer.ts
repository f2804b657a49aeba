import { SQS_BATCH_LIMIT } from './dead-letter-queue';

/**
 * Keeps a run at or under its rate: the n-th message goes no earlier than n / rate seconds after the
 * first. Hand-written: a dozen lines, where a rate-limiter library would bring queues and timers the
 * function does not need.
 */
export class Pacer {
  private sent = 0;
  private readonly startedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.startedAt = now();
  }

  /** Most messages to send at once: a batch never bursts past one second's worth. */
  get batchSize(): number {
    return Math.max(1, Math.min(SQS_BATCH_LIMIT, this.perSecond));
  }

  /** The rate it keeps. */
  get perSecondRate(): number {
    return this.perSecond;
  }

  /** Counts `count` more messages and waits until they may go (counted first: batches in flight at once each get their own slot). */
  async take(count: number): Promise<void> {
    const due = this.startedAt + (this.sent * 1000) / this.perSecond;
    this.sent += count;
    const wait = due - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}
