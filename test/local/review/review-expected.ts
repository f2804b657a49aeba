/**
 * What the weekly review should say about a week of known history, computed here from the history
 * itself (sums, nearest-rank percentiles, shares within the bound, episode lengths, local hours from
 * Intl), without the report's code.
 */
import { DAY_MS, FRESHNESS_BOUND_MS, MINUTE_MS, type WeekHistory, type WorkQueueName } from './review-history';

const SUCCESS_BUDGET = 0.001;

export function nearestRank(values: readonly number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percentile / 100) * sorted.length)) - 1]!;
}

const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

export function expectedQueue(week: WeekHistory, queue: WorkQueueName) {
  const days = week.queues[queue];
  const processed = total(days.map((day) => day.processed));
  const deadLettered = total(days.map((day) => day.deadLettered));
  const eligible = processed + deadLettered;
  const latencies = days.flatMap((day) => day.latencies ?? []);
  let spent = 0;
  const invocations = week.invocations[queue].filter((invocation) => !invocation.throttled);
  return {
    items: {
      in: total(days.map((day) => day.processed + day.deadLettered + day.refused + day.duplicates)),
      processed,
      duplicates: queue === 'files' ? total(days.map((day) => day.duplicates)) : null,
      failed: total(days.map((day) => day.refused)),
      deadLettered,
    },
    ratePercent: eligible > 0 ? (processed / eligible) * 100 : null,
    budgetUsedPercent: eligible > 0 ? (deadLettered / (SUCCESS_BUDGET * eligible)) * 100 : null,
    burnDown: Array.from({ length: 7 }, (_, i) => {
      spent += days[i]?.deadLettered ?? 0;
      return eligible > 0 ? 100 - (spent / (SUCCESS_BUDGET * eligible)) * 100 : null;
    }),
    freshness: {
      items: latencies.length,
      p50Ms: nearestRank(latencies, 50),
      p99Ms: nearestRank(latencies, 99),
      withinTargetPercent: latencies.length > 0 ? (latencies.filter((value) => value <= FRESHNESS_BOUND_MS).length / latencies.length) * 100 : null,
    },
    function: {
      invocations: invocations.length,
      errors: invocations.filter((invocation) => invocation.error).length,
      throttles: week.invocations[queue].filter((invocation) => invocation.throttled).length,
      coldStarts: week.coldStarts[queue],
      durationP99Ms: nearestRank(invocations.map((invocation) => invocation.durationMs), 99),
    },
  };
}

export function expectedApi(week: WeekHistory) {
  const requests = week.api.length;
  const serverErrors = week.api.filter((request) => request.status >= 500).length;
  return {
    requests,
    clientErrors: week.api.filter((request) => request.status >= 400 && request.status < 500).length,
    serverErrors,
    serverErrorRatePercent: requests > 0 ? (serverErrors / requests) * 100 : null,
    latencyP99Ms: nearestRank(week.api.map((request) => request.latencyMs), 99),
  };
}

export interface AlarmSpan {
  readonly alarmId: string;
  /** Epoch ms; `to` undefined: still in ALARM at the week's end. */
  readonly from: number;
  readonly to?: number;
  /** In ALARM since an earlier week: no page of this one. */
  readonly carriedOver: boolean;
}

/** The ALARM spans of a week: its episodes, and the dead letter's alarm from the minute after it landed. */
export function alarmSpans(week: WeekHistory, weekStart: number, deadLetterAlarmSince: number | undefined): AlarmSpan[] {
  return [
    ...week.episodes.map((episode) => ({ alarmId: episode.alarmId, from: weekStart + episode.from * MINUTE_MS, to: weekStart + episode.to * MINUTE_MS, carriedOver: false })),
    ...(deadLetterAlarmSince !== undefined
      ? [{ alarmId: 'jobs-dlq-not-empty', from: Math.max(deadLetterAlarmSince, weekStart), carriedOver: deadLetterAlarmSince < weekStart }]
      : []),
  ];
}

export function expectedAlarms(spans: readonly AlarmSpan[], weekStart: number, timeZone: string) {
  const weekEnd = weekStart + 7 * DAY_MS;
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' });
  const pages = spans.filter((span) => !span.carriedOver);
  const recovered = spans.filter((span) => span.to !== undefined);
  const pagesByHour = new Array<number>(24).fill(0);
  for (const span of pages) pagesByHour[Number(hour.format(span.from))]! += 1;
  return {
    pages: pages.length,
    nightPages: pagesByHour.reduce((night, count, h) => (h >= 22 || h < 7 ? night + count : night), 0),
    pagesByHour,
    timeInAlarmSeconds: total(spans.map((span) => ((span.to ?? weekEnd) - span.from) / 1000)),
    meanTimeToRecoverSeconds: recovered.length > 0 ? total(recovered.map((span) => (span.to! - span.from) / 1000)) / recovered.length : null,
  };
}
