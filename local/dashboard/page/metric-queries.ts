/**
 * A metric widget's `metrics` rows turned into the GetMetricData queries the console sends: the `"."`
 * shorthand repeats the value of the row above at the same place, a row's rendering options override
 * the widget's `stat` and `period`, and an expression row becomes a metric math query. The local
 * CloudWatch answers one period per request, so a widget's queries are grouped by period, each
 * expression with the metrics it names.
 */
import type { MetricRendering, MetricWidgetProperties } from './body';
import { drawnPeriod, type Interval } from './time-range';

/** CloudWatch's defaults for a graphed metric without its own. */
const DEFAULT_STAT = 'Average';
const DEFAULT_PERIOD = 300;

export interface MetricDataQuery {
  readonly Id: string;
  readonly Label?: string;
  readonly ReturnData: boolean;
  readonly Expression?: string;
  readonly Period?: number;
  readonly MetricStat?: {
    readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[] };
    readonly Period: number;
    readonly Stat: string;
  };
}

/** One line of the graph, in the order of the rows. */
export interface GraphedQuery {
  readonly query: MetricDataQuery;
  readonly rendering: MetricRendering;
  /** The label before dynamic labels (`${AVG}`) are filled in. */
  readonly label: string;
  readonly period: number;
}

export interface GraphRequest {
  readonly period: number;
  readonly queries: readonly MetricDataQuery[];
}

export class MetricRowError extends Error {
  override readonly name = 'MetricRowError';
}

export function graphedQueries(properties: MetricWidgetProperties, interval: Interval): GraphedQuery[] {
  const rows = properties.metrics ?? [];
  let previous: readonly string[] = [];
  return rows.map((row, index) => {
    const last = row.at(-1);
    const rendering: MetricRendering = typeof last === 'object' && last !== null ? last : {};
    const values = row.filter((value): value is string => typeof value === 'string');
    const id = rendering.id ?? `m${index + 1}`;
    const period = drawnPeriod(rendering.period ?? properties.period ?? DEFAULT_PERIOD, interval);
    const visible = rendering.visible !== false;
    if (rendering.expression !== undefined) {
      const label = rendering.label ?? id;
      return { query: { Id: id, Expression: rendering.expression, Label: label, ReturnData: visible }, rendering, label, period };
    }
    const resolved = values.map((value, place) => {
      if (value !== '.') return value;
      const above = previous[place];
      if (above === undefined) throw new MetricRowError(`metric row ${index + 1} repeats place ${place + 1} with "." but the row above has no value there`);
      return above;
    });
    previous = resolved;
    const [namespace, metricName, ...dimensionPairs] = resolved;
    if (!namespace || !metricName) throw new MetricRowError(`metric row ${index + 1} names no namespace and metric`);
    if (dimensionPairs.length % 2 !== 0) throw new MetricRowError(`metric row ${index + 1} has a dimension name without a value`);
    const dimensions = Array.from({ length: dimensionPairs.length / 2 }, (_, pair) => ({ Name: dimensionPairs[2 * pair]!, Value: dimensionPairs[2 * pair + 1]! }));
    const label = rendering.label ?? metricName;
    const stat = rendering.stat ?? properties.stat ?? DEFAULT_STAT;
    return {
      query: { Id: id, Label: label, ReturnData: visible, MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions }, Period: period, Stat: stat } },
      rendering,
      label,
      period,
    };
  });
}

/** The requests a widget's graph needs: one per period, each expression with the metrics it names. */
export function graphRequests(graphed: readonly GraphedQuery[]): GraphRequest[] {
  const metricPeriods = new Map(graphed.filter(({ query }) => query.MetricStat).map(({ query, period }) => [query.Id, period]));
  const groups = new Map<number, MetricDataQuery[]>();
  for (const { query, period } of graphed) {
    const named = query.Expression === undefined ? undefined : [...query.Expression.matchAll(/\b[a-z][a-zA-Z0-9_]*\b/g)].map(([word]) => metricPeriods.get(word)).find((p) => p !== undefined);
    const groupPeriod = query.Expression === undefined ? period : (named ?? period);
    const group = groups.get(groupPeriod) ?? [];
    group.push(query.Expression === undefined ? query : { ...query, Period: groupPeriod });
    groups.set(groupPeriod, group);
  }
  return [...groups].map(([period, queries]) => ({ period, queries }));
}
