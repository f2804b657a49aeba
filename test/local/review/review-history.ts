/**
 * Four weeks of known history for the weekly review's test: per work queue and day the items
 * processed, dead-lettered, refused and duplicated with their end-to-end latencies, the worker's
 * invocations, the API's requests, failed status items, and the alarms' episodes in ALARM. The weeks
 * tell four stories: a normal week with pages (one at night) and a flapping alarm; a week with no
 * traffic; a week with a missing metric whose dead letter fills the DLQ (its alarm never clears); a
 * week that ends with that dead letter old enough to near its expiry.
 */

export const WORK_QUEUES = ['files', 'jobs'] as const;
export type WorkQueueName = (typeof WORK_QUEUES)[number];

export interface QueueDay {
  readonly processed: number;
  readonly deadLettered: number;
  /** Refused for bad input (FAILED, never retried). */
  readonly refused: number;
  readonly duplicates: number;
  /** End-to-end latencies of the day's items, ms; undefined: the metric is missing. */
  readonly latencies?: readonly number[];
}

export interface Invocation {
  readonly day: number;
  readonly durationMs: number;
  readonly error?: boolean;
  readonly throttled?: boolean;
}

export interface ApiRequest {
  readonly day: number;
  readonly status: number;
  readonly latencyMs: number;
}

export interface Failure {
  readonly queue: WorkQueueName;
  readonly day: number;
  readonly errorClass: string;
  readonly message: string;
}

/** An alarm set to ALARM at `from` and left to the next evaluation, at `to` (minutes from the week's start). */
export interface AlarmEpisode {
  readonly alarmId: string;
  readonly from: number;
  readonly to: number;
}

export interface WeekHistory {
  readonly story: string;
  /** Seven days per queue, or none at all. */
  readonly queues: Readonly<Record<WorkQueueName, readonly QueueDay[]>>;
  readonly invocations: Readonly<Record<WorkQueueName, readonly Invocation[]>>;
  readonly coldStarts: Readonly<Record<WorkQueueName, number>>;
  readonly api: readonly ApiRequest[];
  readonly failures: readonly Failure[];
  readonly episodes: readonly AlarmEpisode[];
  /** Minutes from the week's start at which a dead letter lands in the jobs DLQ (it stays). */
  readonly deadLetterAt?: number;
}

export const FRESHNESS_BOUND_MS = 300_000;
const DAY = 24 * 60;
const at = (day: number, hour: number, minute = 0) => day * DAY + hour * 60 + minute;

/** Latencies of a day: `count` items 1 s apart from `base`, and `late` items past the freshness bound. */
function latencies(count: number, base: number, late = 0): number[] {
  return [...Array.from({ length: count }, (_, i) => base + i * 1000), ...Array.from({ length: late }, (_, i) => FRESHNESS_BOUND_MS + 60_000 * (i + 1))];
}

function days(processed: number[], deadLettered: number[], refused: number[], duplicates: number[], latency: ((day: number) => number[]) | undefined): QueueDay[] {
  return processed.map((count, day) => ({
    processed: count,
    deadLettered: deadLettered[day]!,
    refused: refused[day]!,
    duplicates: duplicates[day]!,
    ...(latency ? { latencies: latency(day) } : {}),
  }));
}

const ZEROS = [0, 0, 0, 0, 0, 0, 0];
const invocationsOf = (perDay: number[], durationMs: (day: number, i: number) => number, errorsOn: number[] = [], throttlesOn: number[] = []): Invocation[] =>
  perDay.flatMap((count, day) => [
    ...Array.from({ length: count }, (_, i) => ({ day, durationMs: durationMs(day, i), ...(errorsOn.includes(day) && i === 0 ? { error: true } : {}) })),
    ...(throttlesOn.includes(day) ? [{ day, durationMs: 0, throttled: true }] : []),
  ]);
const apiOf = (perDay: number[], clientErrorsOn: number[], serverErrorsOn: number[]): ApiRequest[] =>
  perDay.flatMap((count, day) =>
    Array.from({ length: count }, (_, i) => ({
      day,
      status: i === 0 && serverErrorsOn.includes(day) ? 502 : i === 1 && clientErrorsOn.includes(day) ? 400 : 200,
      latencyMs: 20 + day * 5 + i,
    })),
  );

const QUIET: WeekHistory = {
  story: 'no traffic',
  queues: { files: [], jobs: [] },
  invocations: { files: [], jobs: [] },
  coldStarts: { files: 0, jobs: 0 },
  api: [],
  failures: [],
  episodes: [],
};

export const WEEKS: readonly WeekHistory[] = [
  {
    story: 'normal traffic, pages (one at night in Tokyo), a flapping alarm',
    queues: {
      files: days([20, 25, 18, 22, 20, 10, 5], [0, 0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0], [1, 0, 2, 0, 1, 0, 0], (day) => latencies(6, 4000 + day * 500)),
      // Two late items on day 1 and one on day 3; none on Sunday, so no burn-rate window sees one after the week.
      jobs: days([100, 120, 90, 110, 100, 80, 50], [0, 1, 0, 2, 0, 0, 0], [1, 0, 0, 1, 0, 0, 0], ZEROS, (day) => latencies(10, 2000 + day * 300, day === 1 ? 2 : day === 3 ? 1 : 0)),
    },
    invocations: {
      files: invocationsOf([3, 3, 2, 3, 3, 1, 1], (day, i) => 800 + day * 100 + i * 10, [2]),
      jobs: invocationsOf([10, 12, 9, 11, 10, 8, 5], (day, i) => 50 + day * 7 + i, [], [1, 3]),
    },
    coldStarts: { files: 2, jobs: 3 },
    api: apiOf([30, 35, 28, 32, 30, 20, 10], [0, 2], [2]),
    failures: [
      { queue: 'jobs', day: 0, errorClass: 'UnknownTaskError', message: "unknown task 'resize'" },
      { queue: 'jobs', day: 3, errorClass: 'UnknownTaskError', message: "unknown task 'resize'" },
      { queue: 'jobs', day: 1, errorClass: 'TransientError', message: 'upstream <timeout> | retry' },
      { queue: 'files', day: 1, errorClass: 'NotCsvError', message: 'the file is not CSV' },
    ],
    episodes: [
      { alarmId: 'jobs-queue-age', from: at(1, 14), to: at(1, 14, 30) },
      { alarmId: 'api-5xx', from: at(2, 3), to: at(2, 3, 5) },
      { alarmId: 'files-worker-errors', from: at(3, 10), to: at(3, 10, 10) },
      { alarmId: 'files-worker-errors', from: at(3, 10, 20), to: at(3, 10, 30) },
    ],
  },
  QUIET,
  {
    story: 'a missing metric (no end-to-end latency for jobs), a dead letter whose alarm never clears',
    queues: {
      files: days([15, 15, 15, 15, 15, 5, 5], ZEROS, ZEROS, ZEROS, (day) => latencies(5, 3000 + day * 200)),
      jobs: days([80, 85, 90, 70, 75, 40, 30], [0, 0, 3, 0, 0, 0, 0], [0, 0, 0, 0, 2, 0, 0], ZEROS, undefined),
    },
    invocations: {
      files: invocationsOf([2, 2, 2, 2, 2, 1, 1], (_day, i) => 700 + i * 20),
      jobs: invocationsOf([8, 9, 9, 7, 8, 4, 3], (_day, i) => 60 + i * 2),
    },
    coldStarts: { files: 1, jobs: 2 },
    api: apiOf([25, 25, 25, 25, 25, 10, 10], [], []),
    failures: [
      { queue: 'jobs', day: 2, errorClass: 'TransientError', message: 'upstream <timeout> | retry' },
      { queue: 'jobs', day: 2, errorClass: 'TransientError', message: 'upstream <timeout> | retry' },
      { queue: 'jobs', day: 4, errorClass: 'UnknownTaskError', message: "unknown task 'resize'" },
    ],
    episodes: [{ alarmId: 'jobs-queue-age', from: at(4, 20), to: at(4, 20, 45) }],
    deadLetterAt: at(2, 9),
  },
  {
    story: 'the dead letter near its expiry, four weeks of alarms',
    queues: {
      files: days([30, 30, 30, 30, 30, 10, 10], ZEROS, [0, 0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0], (day) => latencies(4, 5000 + day * 100)),
      jobs: days([120, 110, 100, 130, 120, 60, 40], [0, 0, 0, 1, 0, 0, 0], ZEROS, ZEROS, (day) => latencies(8, 1500 + day * 100)),
    },
    invocations: {
      files: invocationsOf([3, 3, 3, 3, 3, 1, 1], (_day, i) => 900 + i * 30),
      jobs: invocationsOf([12, 11, 10, 13, 12, 6, 4], (_day, i) => 45 + i * 3),
    },
    coldStarts: { files: 1, jobs: 1 },
    api: apiOf([40, 40, 40, 40, 40, 15, 15], [1], []),
    failures: [{ queue: 'files', day: 2, errorClass: 'NotCsvError', message: 'the file is not CSV' }],
    episodes: [],
  },
];

export const MINUTE_MS = 60_000;
export const DAY_MS = DAY * MINUTE_MS;
/** The minute of each day when its traffic is recorded. */
export const TRAFFIC_MINUTE = at(0, 12);
/** The week's last step, so each day's gauges (the DLQ's) have a sample at its end. */
export const LAST_MINUTE = at(6, 23, 59);
