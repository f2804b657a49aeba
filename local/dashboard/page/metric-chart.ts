/**
 * A metric widget's graph as an ECharts option: one line per returned query in the rows' order, the
 * rows' labels (dynamic labels such as `${AVG}` filled in from the data), colours, left and right
 * y-axes with their min, max and label, and the horizontal annotations as marked lines that the axis
 * always shows. Pure: the page hands it to ECharts in the browser, the unit test to ECharts' SVG
 * server-side renderer.
 */
import type { HorizontalAnnotation, MetricWidgetProperties, YAxisSide } from './body';
import type { GraphedQuery } from './metric-queries';
import type { Interval } from './time-range';

/** What GetMetricData answered for one query. */
export interface QueryData {
  readonly id: string;
  readonly timestamps: readonly string[];
  readonly values: readonly number[];
}

/** CloudWatch's default graph colours, in the order it assigns them. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const DYNAMIC_LABELS: Record<string, (values: readonly number[]) => number | undefined> = {
  AVG: (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined),
  SUM: (values) => (values.length ? values.reduce((a, b) => a + b, 0) : undefined),
  MIN: (values) => (values.length ? Math.min(...values) : undefined),
  MAX: (values) => (values.length ? Math.max(...values) : undefined),
  FIRST: (values) => values.at(0),
  LAST: (values) => values.at(-1),
};

/** `${AVG}` and the like, over the values shown, oldest first; unknown ones stay as written. */
export function fillDynamicLabel(label: string, values: readonly number[]): string {
  return label.replace(/\$\{([A-Z]+)\}/g, (written, name: string) => {
    const compute = DYNAMIC_LABELS[name];
    if (!compute) return written;
    const value = compute(values);
    return value === undefined ? '-' : formatNumber(value);
  });
}

export function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 0 }) : value.toPrecision(3);
}

/** The points of one query, oldest first (GetMetricData answers newest first by default). */
export function pointsOf(data: QueryData | undefined): [number, number][] {
  if (!data) return [];
  return data.timestamps.map((timestamp, index) => [Date.parse(timestamp), data.values[index]!] as [number, number]).sort((a, b) => a[0] - b[0]);
}

export function metricChartOption(properties: MetricWidgetProperties, graphed: readonly GraphedQuery[], data: readonly QueryData[], interval: Interval): Record<string, unknown> {
  const byId = new Map(data.map((entry) => [entry.id, entry]));
  const shown = graphed.filter(({ query }) => query.ReturnData);
  const series: Record<string, unknown>[] = shown.map(({ query, rendering, label }, index) => {
    const points = pointsOf(byId.get(query.Id));
    return {
      type: 'line',
      id: query.Id,
      name: fillDynamicLabel(label, points.map(([, value]) => value)),
      data: points,
      yAxisIndex: rendering.yAxis === 'right' ? 1 : 0,
      color: rendering.color ?? PALETTE[index % PALETTE.length],
      // A lone datapoint draws no line: every point gets its dot, as on CloudWatch's graphs.
      showSymbol: true,
      symbolSize: 4,
      connectNulls: false,
      ...(properties.stacked ? { stack: 'total', areaStyle: {} } : {}),
    };
  });
  const annotations = (properties.annotations?.horizontal ?? []).filter((annotation) => annotation.visible !== false);
  for (const side of ['left', 'right'] as const) {
    const onSide = annotations.filter((annotation) => (annotation.yAxis ?? 'left') === side);
    if (onSide.length > 0) series.push(annotationSeries(onSide, side === 'right' ? 1 : 0));
  }
  return {
    animation: false,
    // Times in UTC, as the alarm list and the absolute range picker show them.
    useUTC: true,
    grid: { left: 8, right: 16, top: 24, bottom: 48, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll', data: series.filter((entry) => entry.name !== '').map((entry) => entry.name) },
    xAxis: { type: 'time', min: interval.start.getTime(), max: interval.end.getTime(), axisLabel: { hideOverlap: true } },
    yAxis: [yAxisOf(properties.yAxis?.left, annotations, 'left'), yAxisOf(properties.yAxis?.right, annotations, 'right')],
    series,
  };
}

function annotationSeries(annotations: readonly HorizontalAnnotation[], yAxisIndex: number): Record<string, unknown> {
  return {
    type: 'line',
    name: '',
    data: [],
    yAxisIndex,
    markLine: {
      silent: true,
      symbol: 'none',
      data: annotations.map((annotation) => ({
        yAxis: annotation.value,
        name: annotation.label ?? '',
        lineStyle: { color: annotation.color ?? '#d62728', type: 'dashed' },
        label: { formatter: annotation.label ?? String(annotation.value), position: 'insideEndTop' },
      })),
    },
  };
}

function yAxisOf(side: YAxisSide | undefined, annotations: readonly HorizontalAnnotation[], name: 'left' | 'right'): Record<string, unknown> {
  const onSide = annotations.filter((annotation) => (annotation.yAxis ?? 'left') === name).map((annotation) => annotation.value);
  const highest = onSide.length ? Math.max(...onSide) : undefined;
  return {
    type: 'value',
    position: name,
    show: name === 'left' || side !== undefined,
    ...(side?.label ? { name: side.label, nameLocation: 'middle', nameGap: 40 } : {}),
    ...(side?.min !== undefined ? { min: side.min } : {}),
    // The annotations stay in view, as CloudWatch keeps an alarm's threshold on its graph.
    ...(side?.max !== undefined ? { max: side.max } : highest !== undefined ? { max: (extent: { max: number }) => Math.max(extent.max, highest) } : {}),
  };
}
