/**
 * Shapes shared by the local CloudWatch's modules: metric identities, stored datapoints and the
 * statistics a period of datapoints aggregates to.
 */

export interface Dimension {
  readonly name: string;
  readonly value: string;
}

/** A metric as CloudWatch identifies it: namespace, name and its (name-sorted) dimensions. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
}

/** 1 = high resolution (second granularity), 60 = standard (minute granularity). */
export type StorageResolution = 1 | 60;

/**
 * One datapoint as PutMetricData, EMF or a collector gives it: raw values (with their counts) or a
 * statistic set. Raw values are kept so that percentiles can be computed; statistic sets have none.
 */
export interface DatapointInput {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly unit?: string;
  /** @default 60 */
  readonly storageResolution?: StorageResolution;
  readonly values?: readonly number[];
  /** One count per value. @default 1 each */
  readonly counts?: readonly number[];
  readonly statisticValues?: StatisticSet;
}

export interface StatisticSet {
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

/** A datapoint as stored: timestamp truncated to its resolution, a statistic set, raw values if any. */
export interface StoredDatapoint extends StatisticSet {
  readonly timestamp: number;
  readonly unit: string;
  readonly values?: readonly number[];
  readonly counts?: readonly number[];
}

/** The aggregate of every datapoint of one series within one period. */
export interface PeriodAggregate extends StatisticSet {
  /** Start of the period, epoch milliseconds. */
  readonly timestamp: number;
  readonly unit: string;
  /** Sorted raw values and their counts; undefined when a statistic set without values took part. */
  readonly sortedValues?: readonly number[];
  readonly sortedCounts?: readonly number[];
}

/** A grid of consecutive periods: `count` periods of `periodSeconds` from `start` (epoch ms). */
export interface TimeGrid {
  readonly start: number;
  readonly periodSeconds: number;
  readonly count: number;
}

export function gridTimestamps(grid: TimeGrid): number[] {
  return Array.from({ length: grid.count }, (_, index) => grid.start + index * grid.periodSeconds * 1000);
}

/** The canonical key of a metric: dimensions sorted by name so that their order never matters. */
export function metricKey(metric: MetricIdentity): string {
  return JSON.stringify([metric.namespace, metric.metricName, sortDimensions(metric.dimensions).map((d) => [d.name, d.value])]);
}

export function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
