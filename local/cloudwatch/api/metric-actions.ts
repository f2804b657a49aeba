/**
 * The metric actions of the CloudWatch API: PutMetricData, GetMetricData, GetMetricStatistics,
 * ListMetrics, with CloudWatch's validation and response shapes.
 */
import type { Clock } from '../clock';
import { invalidParameterCombination, invalidParameterValue, missingParameter } from '../errors';
import { gridTimestamps, type DatapointInput, type TimeGrid } from '../model';
import { toStoredDatapoint, type MetricStore } from '../metric-store';
import { requestPeriod, runMetricQueries, toMetricIdentity, type ApiMetric, type MetricDataQuery } from '../metric-query';
import { alignStart, parseStatistic, statisticValue, validatePeriod, type Statistic } from '../statistics';
import {
  oneOfParameter,
  optionalInteger,
  optionalList,
  optionalString,
  paginate,
  paginateDatapoints,
  requiredString,
  requiredTimestamp,
  timestampParameter,
  toWireTimestamp,
  type Input,
} from './wire';

export interface MetricActionsDeps {
  readonly store: MetricStore;
  readonly clock: Clock;
}

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits',
  'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second',
  'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second',
  'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;

const PAST_LIMIT_MS = 14 * 24 * 3600 * 1000;
const FUTURE_LIMIT_MS = 2 * 3600 * 1000;
const MAX_STATISTICS_DATAPOINTS = 1440;
const MAX_GRID_PERIODS = 100_800;
/** GetMetricData's page size when the request gives no MaxDatapoints, as in AWS. */
const DEFAULT_MAX_DATAPOINTS = 100_800;

export function metricActions({ store, clock }: MetricActionsDeps) {
  return {
    PutMetricData(input: Input): Record<string, never> {
      const namespace = requiredString(input, 'Namespace');
      if (namespace.startsWith('AWS/')) throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid: AWS/ is reserved.`);
      const data = optionalList<Input>(input, 'MetricData');
      if (!data || data.length === 0) throw missingParameter('MetricData');
      if (data.length > 1000) throw invalidParameterValue('MetricData can hold at most 1000 items.');
      const now = clock.now();
      // Validate every item before storing any, so a bad request stores nothing.
      const parsed = data.map((item, index) => parseMetricDatum(namespace, item, `MetricData.member.${index + 1}`, now));
      for (const { metric, datapoint } of parsed) store.put(metric, datapoint);
      return {};
    },

    GetMetricData(input: Input) {
      const queries = optionalList<MetricDataQuery>(input, 'MetricDataQueries');
      if (!queries || queries.length === 0) throw missingParameter('MetricDataQueries');
      if (queries.length > 500) throw invalidParameterValue('MetricDataQueries can hold at most 500 queries.');
      const grid = queryGrid(input, requestPeriod(queries));
      const ascending = oneOfParameter(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending']) === 'TimestampAscending';
      const maxDatapoints = optionalInteger(input, 'MaxDatapoints', 1, DEFAULT_MAX_DATAPOINTS) ?? DEFAULT_MAX_DATAPOINTS;
      const timestamps = gridTimestamps(grid);
      const series = runMetricQueries(store, queries, grid).flatMap((result) =>
        result.series.map((one) => {
          const points = timestamps
            .map((timestamp, i) => ({ timestamp, value: one.values[i] }))
            .filter((p): p is { timestamp: number; value: number } => p.value !== undefined);
          if (!ascending) points.reverse();
          return { id: result.id, label: one.label, points };
        }),
      );
      const { page, nextToken } = paginateDatapoints(series, optionalString(input, 'NextToken'), maxDatapoints);
      return {
        MetricDataResults: page.map(({ id, label, points, complete }) => ({
          Id: id,
          Label: label,
          Timestamps: points.map((p) => toWireTimestamp(p.timestamp)),
          Values: points.map((p) => p.value),
          StatusCode: complete ? 'Complete' : 'PartialData',
        })),
        Messages: [],
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },

    GetMetricStatistics(input: Input) {
      const metric = toMetricIdentity(input as ApiMetric, 'GetMetricStatistics');
      const period = validatePeriod(input.Period);
      const statistics = [
        ...(optionalList<string>(input, 'Statistics') ?? []),
        ...(optionalList<string>(input, 'ExtendedStatistics') ?? []),
      ];
      if (statistics.length === 0) throw missingParameter('Statistics or ExtendedStatistics');
      const parsed = statistics.map(parseStatistic);
      const grid = queryGrid(input, period);
      if (grid.count > MAX_STATISTICS_DATAPOINTS) {
        throw invalidParameterCombination(`You have requested up to ${grid.count} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}.`);
      }
      const datapoints = store
        .aggregate(metric, grid, optionalString(input, 'Unit'))
        .filter((a) => a !== undefined)
        .map((aggregate) => {
          const datapoint: Record<string, unknown> = { Timestamp: toWireTimestamp(aggregate.timestamp), Unit: aggregate.unit };
          const extended: Record<string, number> = {};
          parsed.forEach((statistic: Statistic) => {
            const value = statisticValue(aggregate, statistic);
            if (value === undefined) return;
            if (statistic.kind === 'basic') datapoint[statistic.name] = value;
            else extended[statistic.name] = value;
          });
          if (Object.keys(extended).length > 0) datapoint.ExtendedStatistics = extended;
          return datapoint;
        });
      return { Label: metric.metricName, Datapoints: datapoints };
    },

    ListMetrics(input: Input) {
      const dimensions = (optionalList<{ Name?: string; Value?: string }>(input, 'Dimensions') ?? []).map((d, i) => {
        if (!d.Name) throw missingParameter(`Dimensions.member.${i + 1}.Name`);
        return { name: d.Name, value: d.Value };
      });
      const recentlyActive = oneOfParameter(input, 'RecentlyActive', ['PT3H']);
      const metrics = store.list({
        namespace: optionalString(input, 'Namespace'),
        metricName: optionalString(input, 'MetricName'),
        dimensions,
        activeSince: recentlyActive ? clock.now() - 3 * 3600 * 1000 : undefined,
      });
      const { page, nextToken } = paginate(metrics, optionalString(input, 'NextToken'), 500);
      return {
        Metrics: page.map((m) => ({
          Namespace: m.namespace,
          MetricName: m.metricName,
          Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  };
}

function parseMetricDatum(namespace: string, item: Input, where: string, now: number) {
  const metric = toMetricIdentity({ ...(item as ApiMetric), Namespace: namespace }, where);
  if (metric.dimensions.length > 30) throw invalidParameterValue(`${where}.Dimensions can hold at most 30 dimensions.`);
  const timestamp = timestampParameter(item, 'Timestamp') ?? now;
  if (timestamp < now - PAST_LIMIT_MS || timestamp > now + FUTURE_LIMIT_MS) {
    throw invalidParameterValue(`${where}.Timestamp must be within the last two weeks and at most two hours ahead.`);
  }
  const unit = oneOfParameter(item, 'Unit', UNITS) ?? 'None';
  const resolution = item.StorageResolution ?? 60;
  if (resolution !== 1 && resolution !== 60) throw invalidParameterValue(`${where}.StorageResolution must be 1 or 60.`);
  const stats = item.StatisticValues as Input | undefined;
  const values = optionalList<number>(item, 'Values');
  const sources = [item.Value !== undefined, values !== undefined, stats !== undefined].filter(Boolean).length;
  if (sources !== 1) throw invalidParameterCombination(`${where} must have exactly one of Value, Values and StatisticValues.`);
  if (values && values.length > 150) throw invalidParameterValue(`${where}.Values can hold at most 150 values.`);
  const datapoint: DatapointInput = {
    timestamp,
    unit,
    storageResolution: resolution,
    ...(stats
      ? { statisticValues: { sampleCount: Number(stats.SampleCount), sum: Number(stats.Sum), minimum: Number(stats.Minimum), maximum: Number(stats.Maximum) } }
      : { values: values ?? [Number(item.Value)], counts: optionalList<number>(item, 'Counts') }),
  };
  toStoredDatapoint(datapoint);
  return { metric, datapoint };
}

/** The periods from StartTime (rounded down as CloudWatch does) to EndTime (exclusive). */
function queryGrid(input: Input, periodSeconds: number): TimeGrid {
  const start = alignStart(requiredTimestamp(input, 'StartTime'), periodSeconds);
  const end = requiredTimestamp(input, 'EndTime');
  if (end <= start) throw invalidParameterValue('The parameter EndTime must be later than StartTime.');
  const count = Math.ceil((end - start) / (periodSeconds * 1000));
  if (count > MAX_GRID_PERIODS) throw invalidParameterValue(`The query spans ${count} periods; at most ${MAX_GRID_PERIODS} are allowed.`);
  return { start, periodSeconds, count };
}
