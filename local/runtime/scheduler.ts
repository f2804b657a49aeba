/**
 * Schedules (`AWS::Events::Rule` / `AWS::Scheduler::Schedule` targets) as timers: each fires its
 * function asynchronously, as EventBridge does, with the target's constant input or EventBridge's
 * "Scheduled Event". Timers are unref'd so they never keep the process alive.
 */
import { randomUUID } from 'node:crypto';
import { parseScheduleExpression, type Schedule } from './schedule-expression';

export interface ScheduledTarget {
  readonly expression: string;
  /** The target's constant input; undefined sends the Scheduled Event. */
  readonly input?: unknown;
  readonly functionName: string;
  invoke(event: unknown): Promise<unknown>;
}

export interface SchedulerOptions {
  readonly region: string;
  readonly accountId: string;
  /** Receives each schedule's line when its invocation fails, under the function's name. */
  readonly log: (functionName: string, line: string) => void;
}

/** setTimeout's longest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly schedules: { target: ScheduledTarget; schedule: Schedule }[];

  /** Parses every expression up front, so an unsupported one fails the start with its name. */
  constructor(
    targets: readonly ScheduledTarget[],
    private readonly options: SchedulerOptions,
  ) {
    this.schedules = targets.map((target) => ({ target, schedule: parseScheduleExpression(target.expression) }));
  }

  start(now = new Date()): void {
    for (const { target, schedule } of this.schedules) this.arm(target, schedule, now);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(target: ScheduledTarget, schedule: Schedule, after: Date): void {
    const fireAt = schedule.next(after);
    if (!fireAt) return;
    const wait = (): void => {
      const remaining = fireAt.getTime() - Date.now();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (remaining > MAX_TIMER_MS) return wait();
        this.fire(target, fireAt);
        this.arm(target, schedule, fireAt);
      }, Math.min(Math.max(remaining, 0), MAX_TIMER_MS)).unref();
      this.timers.add(timer);
    };
    wait();
  }

  private fire(target: ScheduledTarget, time: Date): void {
    const event = target.input ?? {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.options.accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.options.region,
      resources: [],
      detail: {},
    };
    target.invoke(event).catch((error: Error) => this.options.log(target.functionName, `[schedule] ${target.expression}: ${error.message}`));
  }
}
