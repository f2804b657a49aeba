/**
 * The figures of each work queue and of the API, from the metric readings: counts per day and in all,
 * the success SLO with its error budget and daily burn-down, freshness, queue age, the dead-letter
 * queue at the end of the period and the worker function. Pure: readings in, figures out.
 */
import type { ReviewedWorkQueue, ReviewSources } from '../../contract/review';
import { errorBudget } from '../../contract/slo';
import { WORKERS } from '../../contract/workers';
import type { ApiReview, DailyCounts, QueueReview } from './model';
import type { Measure } from './metric-plan';
import type { MetricReadings, Series } from './metric-readings';

const DAY_MS = 86_400_000;

export interface RedriveCounts {
  readonly redriven: number;
  readonly archived: number;
}

export function queueFigures(
  queue: ReviewedWorkQueue,
  sources: ReviewSources,
  readings: MetricReadings,
  period: { readonly from: Date; readonly days: readonly string[] },
  redrives: RedriveCounts | null,
): QueueReview {
  const read = (measure: Measure) => readings.series(queue.name, measure);
  const perDay = (measure: Measure) => dailyValues(read(measure), period.from, period.days.length);
  const total = (measure: Measure) => sum(read(measure).values);
  const whole = (measure: Measure) => read(measure).values[0] ?? null;

  const deadLettered = total('deadLettered');
  const failedMetric = total('failed');
  // JobsFailed counts dead letters too; the report's "failed" is the items refused for bad input only.
  const failed = WORKERS[queue.worker].failedCountsDeadLetters ? Math.max(0, failedMetric - deadLettered) : failedMetric;
  const processed = total('processed');
  const daily = period.days.map((day, i): DailyCounts => {
    const deadOnDay = perDay('deadLettered')[i]!;
    const failedOnDay = perDay('failed')[i]!;
    return {
      day,
      in: perDay('in')[i]!,
      processed: perDay('processed')[i]!,
      failed: WORKERS[queue.worker].failedCountsDeadLetters ? Math.max(0, failedOnDay - deadOnDay) : failedOnDay,
      deadLettered: deadOnDay,
    };
  });

  const budget = errorBudget(sources.successSloPercent);
  const eligible = processed + deadLettered;
  let spent = 0;
  const burnDown = daily.map((day) => {
    spent += day.deadLettered;
    return { day: day.day, remainingPercent: eligible > 0 ? 100 - (spent / (budget * eligible)) * 100 : null };
  });
  const ratePercent = eligible > 0 ? (processed / eligible) * 100 : null;

  const latencyItems = whole('latencyCount') ?? 0;
  const withinTargetPercent = latencyItems > 0 ? whole('latencyWithin') : null;

  const dlqDepth = lastValue(read('dlqDepth'));
  const dlqAge = lastValue(read('dlqAge'));
  const timeoutMs = queue.workerTimeoutSeconds * 1000;
  const durationP99Ms = whole('durationP99');

  return {
    name: queue.name,
    worker: queue.worker,
    items: {
      in: total('in'),
      processed,
      duplicates: readings.planned(queue.name, 'duplicates') ? total('duplicates') : null,
      failed,
      deadLettered,
      redriven: redrives?.redriven ?? null,
      archived: redrives?.archived ?? null,
    },
    daily,
    success: {
      ratePercent,
      good: processed,
      bad: deadLettered,
      met: ratePercent === null ? null : ratePercent >= sources.successSloPercent,
      budgetUsedPercent: eligible > 0 ? (deadLettered / (budget * eligible)) * 100 : null,
      burnDown,
    },
    freshness: {
      items: latencyItems,
      p50Ms: latencyItems > 0 ? whole('latencyP50') : null,
      p99Ms: latencyItems > 0 ? whole('latencyP99') : null,
      withinTargetPercent,
      met: withinTargetPercent === null ? null : withinTargetPercent >= sources.freshnessSloPercent,
      budgetUsedPercent: withinTargetPercent === null ? null : ((100 - withinTargetPercent) / (100 - sources.freshnessSloPercent)) * 100,
    },
    queueAge: { p99Seconds: whole('ageP99'), worstSeconds: whole('ageWorst') },
    deadLetterQueue: {
      depthAtEnd: dlqDepth,
      oldestAgeSecondsAtEnd: dlqDepth ? dlqAge : null,
      oldestExpiresInDays: dlqDepth && dlqAge !== null ? sources.deadLetterRetentionDays - dlqAge / 86_400 : null,
      retentionDays: sources.deadLetterRetentionDays,
    },
    function: {
      functionName: queue.workerFunctionName,
      invocations: total('invocations'),
      errors: total('errors'),
      throttles: total('throttles'),
      coldStarts: total('coldStarts'),
      durationP99Ms,
      timeoutMs,
      durationP99ShareOfTimeoutPercent: durationP99Ms === null ? null : (durationP99Ms / timeoutMs) * 100,
    },
  };
}

export function apiFigures(readings: MetricReadings): ApiReview {
  const total = (measure: Measure) => sum(readings.series('api', measure).values);
  const requests = total('requests');
  const serverErrors = total('serverErrors');
  return {
    requests,
    clientErrors: total('clientErrors'),
    serverErrors,
    serverErrorRatePercent: requests > 0 ? (serverErrors / requests) * 100 : null,
    latencyP99Ms: requests > 0 ? (readings.series('api', 'apiLatencyP99').values[0] ?? null) : null,
  };
}

/** A daily series as one value per day of the period (0 where a day has no datapoint). */
function dailyValues(series: Series, from: Date, days: number): number[] {
  const values = new Array<number>(days).fill(0);
  series.timestamps.forEach((timestamp, i) => {
    const day = Math.floor((timestamp - from.getTime()) / DAY_MS);
    if (day >= 0 && day < days) values[day]! += series.values[i]!;
  });
  return values;
}

function lastValue(series: Series): number | null {
  return series.values.length > 0 ? series.values[series.values.length - 1]! : null;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
