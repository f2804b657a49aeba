/**
 * Time as the local CloudWatch sees it. Injected so that tests drive alarm evaluation, retention and
 * sampling deterministically instead of sleeping.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimer(callback: () => void, delayMs: number): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    // A pending evaluation or sample must never keep the process alive after everything else stopped.
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** The next multiple of `stepMs` strictly after `now`. */
export function nextBoundary(now: number, stepMs: number): number {
  return Math.floor(now / stepMs) * stepMs + stepMs;
}
