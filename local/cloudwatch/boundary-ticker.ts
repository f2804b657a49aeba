/**
 * Runs a callback on every multiple of a step (10 s: the finest alarm period), right away once, and
 * never twice at the same time: a slow tick delays the next one instead of overlapping it.
 */
import { nextBoundary, type Clock, type Timer } from './clock';

export type TickHandler = (boundary: number, first: boolean) => Promise<void>;

export class BoundaryTicker {
  private timer: Timer | undefined;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly stepMs: number,
    private readonly onTick: TickHandler,
    /** Called when a tick fails; ticking goes on. */
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run(this.clock.now(), true);
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async run(boundary: number, first: boolean): Promise<void> {
    try {
      await this.onTick(boundary, first);
    } catch (error) {
      this.onError(error);
    }
    if (!this.running) return;
    const next = nextBoundary(Math.max(boundary, this.clock.now()), this.stepMs);
    this.timer = this.clock.setTimer(() => void this.run(next, false), next - this.clock.now());
  }
}
