/**
 * A clock for the local CloudWatch that runs with real time and can be pushed ahead: alarms that need
 * minutes of data (a 5-minute stall, a 1-minute DLQ alarm) are driven through in seconds, while the
 * emulators, functions and pollers keep real time. Timers are real timers on the clock's time, so a
 * jump fires the ones it passes at once.
 *
 * A paused clock stands still until advanced: nothing is evaluated behind a test's back, so a state it
 * set (SetAlarmState) holds until the test moves the clock.
 */
import type { Clock, Timer } from '../../local/cloudwatch/clock';

interface PendingTimer {
  readonly at: number;
  readonly callback: () => void;
  handle?: NodeJS.Timeout;
}

export interface DrivenClockOptions {
  /** Stand still until advanced. @default false */
  readonly paused?: boolean;
}

export class DrivenClock implements Clock {
  private offsetMs = 0;
  private readonly pending = new Set<PendingTimer>();
  private readonly pausedAt: number | undefined;

  constructor(options: DrivenClockOptions = {}) {
    this.pausedAt = options.paused ? Date.now() : undefined;
  }

  now(): number {
    return (this.pausedAt ?? Date.now()) + this.offsetMs;
  }

  /** How far the clock runs ahead of real time. */
  get aheadMs(): number {
    return this.offsetMs;
  }

  setTimer(callback: () => void, delayMs: number): Timer {
    const timer: PendingTimer = { at: this.now() + Math.max(0, delayMs), callback };
    this.pending.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        clearTimeout(timer.handle);
        this.pending.delete(timer);
      },
    };
  }

  /**
   * Jumps `ms` ahead. The local CloudWatch's timers are recurring (the alarm ticker, the queue sampler):
   * each one fired schedules its successor once its work (samples, evaluations, pages) is done, so this
   * resolves when as many timers are pending as before and none is due any more.
   */
  async advance(ms: number, timeoutMs = 10_000): Promise<void> {
    const before = this.pending.size;
    this.offsetMs += ms;
    for (const timer of this.pending) this.arm(timer);
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size < before || [...this.pending].some((timer) => timer.at <= this.now())) {
      if (Date.now() > deadline) throw new Error(`the local CloudWatch's timers did not settle within ${timeoutMs} ms after advancing ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private arm(timer: PendingTimer): void {
    clearTimeout(timer.handle);
    // Paused, a timer not yet due waits for advance() to make it due.
    if (this.pausedAt !== undefined && timer.at > this.now()) return;
    timer.handle = setTimeout(
      () => {
        this.pending.delete(timer);
        timer.callback();
      },
      Math.max(0, timer.at - this.now()),
    );
    timer.handle.unref();
  }
}
