/**
 * Statistics over one period's datapoints, as CloudWatch defines them: SampleCount, Sum, Average,
 * Minimum, Maximum, percentiles `pNN` / `pNN.NN` and percentile ranks `PR(low:high)`. Other extended
 * statistics (trimmed means, IQM, ...) are answered with a clear error.
 */
import { invalidParameterValue, unsupported } from './errors';
import type { PeriodAggregate, StoredDatapoint } from './model';

export const BASIC_STATISTICS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

export type Statistic =
  | { readonly kind: 'basic'; readonly name: BasicStatistic }
  | { readonly kind: 'percentile'; readonly name: string; readonly percentile: number }
  /** The share (in percent) of values above `low` and at most `high`; an absent bound is open. */
  | { readonly kind: 'percentileRank'; readonly name: string; readonly low?: number; readonly high?: number };

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/i;
const NUMBER = '-?\\d+(?:\\.\\d+)?';
const PERCENTILE_RANK = new RegExp(`^PR\\((${NUMBER})?:(${NUMBER})?\\)$`, 'i');

/** Parses `Sum`, `p99`, `p99.9`, `PR(:300)`; throws a CloudWatch error naming anything else. */
export function parseStatistic(name: string): Statistic {
  if ((BASIC_STATISTICS as readonly string[]).includes(name)) return { kind: 'basic', name: name as BasicStatistic };
  const percentile = PERCENTILE.exec(name);
  if (percentile) return { kind: 'percentile', name: name.toLowerCase(), percentile: Number(percentile[1]) };
  const rank = PERCENTILE_RANK.exec(name);
  if (rank) return percentileRank(name, rank[1], rank[2]);
  if (/^(tm|wm|tc|ts|pr|iqm)/i.test(name)) unsupportedStatistic(name);
  throw invalidParameterValue(`The statistic ${name} is not a valid statistic.`);
}

function percentileRank(name: string, lowText: string | undefined, highText: string | undefined): Statistic {
  const low = lowText === undefined ? undefined : Number(lowText);
  const high = highText === undefined ? undefined : Number(highText);
  if (low === undefined && high === undefined) throw invalidParameterValue(`The statistic ${name} needs a lower or an upper bound.`);
  if (low !== undefined && high !== undefined && low >= high) throw invalidParameterValue(`The statistic ${name} must have its lower bound below its upper bound.`);
  return { kind: 'percentileRank', name: name.toUpperCase(), low, high };
}

function unsupportedStatistic(name: string): never {
  throw unsupported(`the extended statistic ${name} (supported: ${BASIC_STATISTICS.join(', ')}, pNN)`);
}

/** Folds the datapoints of one period; `undefined` when there are none. */
export function aggregatePeriod(timestamp: number, points: readonly StoredDatapoint[]): PeriodAggregate | undefined {
  if (points.length === 0) return undefined;
  let sampleCount = 0;
  let sum = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  let allRaw = true;
  const pairs: Array<[number, number]> = [];
  for (const point of points) {
    sampleCount += point.sampleCount;
    sum += point.sum;
    minimum = Math.min(minimum, point.minimum);
    maximum = Math.max(maximum, point.maximum);
    if (!point.values) {
      allRaw = false;
      continue;
    }
    point.values.forEach((value, index) => pairs.push([value, point.counts?.[index] ?? 1]));
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return {
    timestamp,
    unit: points[points.length - 1].unit,
    sampleCount,
    sum,
    minimum,
    maximum,
    sortedValues: allRaw ? pairs.map((p) => p[0]) : undefined,
    sortedCounts: allRaw ? pairs.map((p) => p[1]) : undefined,
  };
}

/** The statistic's value for one period; `undefined` when it cannot be computed (no raw values). */
export function statisticValue(aggregate: PeriodAggregate, statistic: Statistic): number | undefined {
  if (statistic.kind === 'percentile') return percentile(aggregate, statistic.percentile);
  if (statistic.kind === 'percentileRank') return percentileRankValue(aggregate, statistic.low, statistic.high);
  switch (statistic.name) {
    case 'SampleCount':
      return aggregate.sampleCount;
    case 'Sum':
      return aggregate.sum;
    case 'Average':
      return aggregate.sampleCount === 0 ? undefined : aggregate.sum / aggregate.sampleCount;
    case 'Minimum':
      return aggregate.minimum;
    case 'Maximum':
      return aggregate.maximum;
  }
}

/**
 * Nearest-rank percentile over the weighted raw values: the smallest value whose cumulative count
 * reaches `p`% of the samples. CloudWatch does not publish its estimator; nearest rank is exact on
 * small samples and never invents a value that was not reported.
 */
function percentile(aggregate: PeriodAggregate, p: number): number | undefined {
  const values = aggregate.sortedValues;
  const counts = aggregate.sortedCounts;
  if (!values || !counts || values.length === 0) return undefined;
  const total = counts.reduce((a, b) => a + b, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let cumulative = 0;
  for (let index = 0; index < values.length; index += 1) {
    cumulative += counts[index];
    if (cumulative >= rank) return values[index];
  }
  return values[values.length - 1];
}

/** CloudWatch's PR(low:high): the weighted share of raw values with low < value <= high, in percent. */
function percentileRankValue(aggregate: PeriodAggregate, low: number | undefined, high: number | undefined): number | undefined {
  const values = aggregate.sortedValues;
  const counts = aggregate.sortedCounts;
  if (!values || !counts || values.length === 0) return undefined;
  let total = 0;
  let within = 0;
  values.forEach((value, index) => {
    total += counts[index];
    if ((low === undefined || value > low) && (high === undefined || value <= high)) within += counts[index];
  });
  return (within / total) * 100;
}

const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30];

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30 or a multiple of 60 seconds. */
export function validatePeriod(period: unknown, parameter = 'Period'): number {
  if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0) {
    throw invalidParameterValue(`The parameter ${parameter} must be a positive integer.`);
  }
  if (!HIGH_RESOLUTION_PERIODS.includes(period) && period % 60 !== 0) {
    throw invalidParameterValue(
      `The parameter ${parameter} must be 1, 5, 10, 20, 30 or a multiple of 60 (got ${period}).`,
    );
  }
  return period;
}

/**
 * Rounds a query's start time down as CloudWatch does: to an even division of the minute for
 * sub-minute periods, to the whole minute otherwise.
 */
export function alignStart(start: number, periodSeconds: number): number {
  const stepMs = periodSeconds < 60 ? periodSeconds * 1000 : 60_000;
  return Math.floor(start / stepMs) * stepMs;
}
