/**
 * The metric store: datapoints per series (namespace + metric name + sorted dimensions), kept sorted
 * by timestamp so that datapoints with past timestamps (tests writing history, late EMF lines) land
 * where they belong. Retention is bounded in time and in points per series.
 */
import type { Clock } from './clock';
import { invalidParameterValue } from './errors';
import {
  metricKey,
  sortDimensions,
  type DatapointInput,
  type MetricIdentity,
  type PeriodAggregate,
  type StoredDatapoint,
  type TimeGrid,
} from './model';
import { aggregatePeriod } from './statistics';

export interface MetricStoreOptions {
  readonly clock: Clock;
  /** How long datapoints are kept. @default 15 days (CloudWatch keeps 1-minute data 15 days) */
  readonly retentionMs?: number;
  /** The most datapoints one series keeps; the oldest go first. @default 100_000 */
  readonly maxPointsPerSeries?: number;
  /** Keeps the datapoints across restarts (`--keep`); in memory only when undefined. */
  readonly journal?: DatapointJournal;
}

/** Where datapoints are written as they are stored, and read back at start. */
export interface DatapointJournal {
  /** Every datapoint written and not pruned, in the order written. */
  load(): Iterable<{ readonly metric: MetricIdentity; readonly point: StoredDatapoint }>;
  append(metric: MetricIdentity, point: StoredDatapoint): void;
  /** Drops the datapoints older than `before` (epoch ms). */
  prune(before: number): void;
}

interface Series {
  readonly metric: MetricIdentity;
  readonly points: StoredDatapoint[];
}

export interface MetricFilter {
  readonly namespace?: string;
  readonly metricName?: string;
  /** Every listed dimension must be present; with a value, it must also match. */
  readonly dimensions?: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
  /** Only series with a datapoint at or after this time (epoch ms). */
  readonly activeSince?: number;
}

export const DEFAULT_RETENTION_MS = 15 * 24 * 3600 * 1000;

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly clock: Clock;
  private readonly retentionMs: number;
  private readonly maxPointsPerSeries: number;
  private readonly journal?: DatapointJournal;

  constructor(options: MetricStoreOptions) {
    this.clock = options.clock;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.maxPointsPerSeries = options.maxPointsPerSeries ?? 100_000;
    this.journal = options.journal;
    for (const { metric, point } of this.journal?.load() ?? []) this.insert(metric, point);
  }

  /** Stores one datapoint; throws a CloudWatch error for a datapoint CloudWatch would reject. */
  put(metric: MetricIdentity, input: DatapointInput): void {
    const point = toStoredDatapoint(input);
    if (this.insert(metric, point)) this.journal?.append(metric, point);
  }

  /** Adds a datapoint to its series unless it is already past retention; says whether it did. */
  private insert(metric: MetricIdentity, point: StoredDatapoint): boolean {
    if (point.timestamp < this.clock.now() - this.retentionMs) return false;
    const key = metricKey(metric);
    let series = this.series.get(key);
    if (!series) {
      series = { metric: { ...metric, dimensions: sortDimensions(metric.dimensions) }, points: [] };
      this.series.set(key, series);
    }
    const points = series.points;
    points.splice(upperBound(points, point.timestamp), 0, point);
    if (points.length > this.maxPointsPerSeries) points.splice(0, points.length - this.maxPointsPerSeries);
    return true;
  }

  /** Aggregates one series over every period of the grid; `undefined` where a period has no data. */
  aggregate(metric: MetricIdentity, grid: TimeGrid, unit?: string): Array<PeriodAggregate | undefined> {
    const points = this.series.get(metricKey(metric))?.points ?? [];
    const periodMs = grid.periodSeconds * 1000;
    return Array.from({ length: grid.count }, (_, index) => {
      const start = grid.start + index * periodMs;
      const inPeriod = points.slice(lowerBound(points, start), lowerBound(points, start + periodMs));
      return aggregatePeriod(start, unit ? inPeriod.filter((p) => p.unit === unit) : inPeriod);
    });
  }

  /** The series matching a filter, in a stable order (namespace, name, dimensions). */
  list(filter: MetricFilter = {}): MetricIdentity[] {
    const matches: Array<[string, MetricIdentity]> = [];
    for (const [key, series] of this.series) {
      if (series.points.length > 0 && matchesFilter(series, filter)) matches.push([key, series.metric]);
    }
    return matches.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, metric]) => metric);
  }

  /** Drops datapoints past retention and series left empty. */
  prune(): void {
    const cutoff = this.clock.now() - this.retentionMs;
    for (const [key, series] of this.series) {
      series.points.splice(0, lowerBound(series.points, cutoff));
      if (series.points.length === 0) this.series.delete(key);
    }
    this.journal?.prune(cutoff);
  }
}

function matchesFilter(series: Series, filter: MetricFilter): boolean {
  const { metric, points } = series;
  if (filter.namespace !== undefined && metric.namespace !== filter.namespace) return false;
  if (filter.metricName !== undefined && metric.metricName !== filter.metricName) return false;
  if (filter.activeSince !== undefined && points[points.length - 1].timestamp < filter.activeSince) return false;
  return (filter.dimensions ?? []).every((wanted) =>
    metric.dimensions.some((d) => d.name === wanted.name && (wanted.value === undefined || d.value === wanted.value)),
  );
}

/** Validates and normalizes a datapoint; throws the CloudWatch error PutMetricData would answer. */
export function toStoredDatapoint(input: DatapointInput): StoredDatapoint {
  const resolutionMs = (input.storageResolution ?? 60) * 1000;
  const timestamp = Math.floor(input.timestamp / resolutionMs) * resolutionMs;
  const unit = input.unit ?? 'None';
  if (input.statisticValues) {
    const { sampleCount, sum, minimum, maximum } = input.statisticValues;
    if (![sampleCount, sum, minimum, maximum].every(Number.isFinite) || sampleCount <= 0 || minimum > maximum) {
      throw invalidParameterValue('StatisticValues must be finite, with SampleCount > 0 and Minimum <= Maximum.');
    }
    return { timestamp, unit, sampleCount, sum, minimum, maximum };
  }
  const values = input.values ?? [];
  const counts = input.counts ?? values.map(() => 1);
  if (values.length === 0) throw invalidParameterValue('A datapoint needs a Value, Values or StatisticValues.');
  if (counts.length !== values.length) throw invalidParameterValue('Values and Counts must have the same length.');
  if (!values.every(Number.isFinite) || !counts.every((c) => Number.isFinite(c) && c > 0)) {
    throw invalidParameterValue('Metric values must be finite numbers and counts positive.');
  }
  let sampleCount = 0;
  let sum = 0;
  values.forEach((value, index) => {
    sampleCount += counts[index];
    sum += value * counts[index];
  });
  return { timestamp, unit, sampleCount, sum, minimum: Math.min(...values), maximum: Math.max(...values), values, counts };
}

/** First index whose timestamp is >= `timestamp`. */
function lowerBound(points: readonly StoredDatapoint[], timestamp: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (points[mid].timestamp < timestamp) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose timestamp is > `timestamp` (appending keeps arrival order among equals). */
function upperBound(points: readonly StoredDatapoint[], timestamp: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (points[mid].timestamp <= timestamp) low = mid + 1;
    else high = mid;
  }
  return low;
}
