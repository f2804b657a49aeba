/**
 * Runs a list of metric data queries (MetricStat and metric math Expression, as GetMetricData and
 * metric-math alarms take them) over one time grid. Queries reference each other by Id in any
 * order; cycles and unknown ids are errors.
 */
import { invalidParameterCombination, invalidParameterValue, missingParameter, unsupported } from './errors';
import { evaluateMath, type MathValue, type Series } from './math-evaluator';
import { parseExpression } from './math-parser';
import { type MetricIdentity, type TimeGrid } from './model';
import type { MetricStore } from './metric-store';
import { parseStatistic, statisticValue, validatePeriod } from './statistics';

/** A metric as the CloudWatch API spells it. */
export interface ApiMetric {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name?: string; readonly Value?: string }>;
}

export interface MetricStat {
  readonly Metric?: ApiMetric;
  readonly Period?: number;
  readonly Stat?: string;
  readonly Unit?: string;
}

export interface MetricDataQuery {
  readonly Id?: string;
  readonly MetricStat?: MetricStat;
  readonly Expression?: string;
  readonly Label?: string;
  /** @default true */
  readonly ReturnData?: boolean;
  readonly Period?: number;
}

export interface QueryResult {
  readonly id: string;
  readonly label: string;
  readonly series: readonly Series[];
}

const ID = /^[a-z][a-zA-Z0-9_]*$/;

export function toMetricIdentity(metric: ApiMetric | undefined, where: string): MetricIdentity {
  if (!metric?.Namespace) throw missingParameter(`${where}.Namespace`);
  if (!metric.MetricName) throw missingParameter(`${where}.MetricName`);
  return {
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions: (metric.Dimensions ?? []).map((d, i) => {
      if (d.Name === undefined || d.Value === undefined) throw missingParameter(`${where}.Dimensions[${i}].Name/Value`);
      return { name: d.Name, value: d.Value };
    }),
  };
}

/** The one period every query of the request uses (the local CloudWatch does not mix periods). */
export function requestPeriod(queries: readonly MetricDataQuery[]): number {
  const periods = new Set(
    queries.flatMap((q) => [q.MetricStat?.Period, q.Period]).filter((p): p is number => p !== undefined),
  );
  if (periods.size === 0) throw missingParameter('MetricStat.Period');
  if (periods.size > 1) throw unsupported(`queries with different periods in one request (${[...periods].join(', ')})`);
  return validatePeriod([...periods][0]);
}

/** Evaluates every query; returns those with ReturnData (default true), in request order. */
export function runMetricQueries(store: MetricStore, queries: readonly MetricDataQuery[], grid: TimeGrid): QueryResult[] {
  const byId = new Map<string, MetricDataQuery>();
  for (const query of queries) {
    if (!query.Id || !ID.test(query.Id)) {
      throw invalidParameterValue(`The Id ${query.Id ?? '(missing)'} must start with a lowercase letter and hold only letters, digits and _.`);
    }
    if (byId.has(query.Id)) throw invalidParameterValue(`The Id ${query.Id} is used twice.`);
    if (Boolean(query.MetricStat) === Boolean(query.Expression)) {
      throw invalidParameterCombination(`The query ${query.Id} must have exactly one of MetricStat and Expression.`);
    }
    byId.set(query.Id, query);
  }
  const values = new Map<string, MathValue>();
  const evaluating = new Set<string>();
  const resolve = (id: string): MathValue => {
    const cached = values.get(id);
    if (cached) return cached;
    const query = byId.get(id);
    if (!query) throw invalidParameterValue(`The metric math expression references an unknown Id ${id}.`);
    if (evaluating.has(id)) throw invalidParameterValue(`The metric math expressions reference each other in a cycle through ${id}.`);
    evaluating.add(id);
    const value = query.MetricStat
      ? { kind: 'series' as const, series: metricStatSeries(store, query, grid) }
      : evaluateMath(parseExpression(query.Expression!), { grid, resolve, metrics }, query.Label ?? id);
    evaluating.delete(id);
    values.set(id, value);
    return value;
  };
  const metrics = (): Series[] =>
    queries.filter((q) => q.MetricStat).map((q) => (resolve(q.Id!) as { series: Series }).series);
  return queries
    .filter((query) => query.ReturnData !== false)
    .map((query) => ({ id: query.Id!, label: query.Label ?? query.Id!, series: toSeriesList(resolve(query.Id!), query, grid) }));
}

function metricStatSeries(store: MetricStore, query: MetricDataQuery, grid: TimeGrid): Series {
  const stat = query.MetricStat!;
  const metric = toMetricIdentity(stat.Metric, `${query.Id}.MetricStat.Metric`);
  if (!stat.Stat) throw missingParameter(`${query.Id}.MetricStat.Stat`);
  const statistic = parseStatistic(stat.Stat);
  const values = store.aggregate(metric, grid, stat.Unit).map((a) => (a ? statisticValue(a, statistic) : undefined));
  return { label: query.Label ?? metric.metricName, values };
}

function toSeriesList(value: MathValue, query: MetricDataQuery, grid: TimeGrid): Series[] {
  if (value.kind === 'list') return [...value.items];
  if (value.kind === 'series') return [value.series];
  const constant = Number.isFinite(value.value) ? value.value : undefined;
  return [{ label: query.Label ?? query.Id!, values: new Array(grid.count).fill(constant) }];
}
