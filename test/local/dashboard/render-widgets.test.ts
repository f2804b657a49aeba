/**
 * Every widget of the synthesized on-call dashboard's body goes through the renderer without error:
 * graphs become GetMetricData queries (one period per request) and an ECharts option that ECharts' own
 * SVG renderer draws, the alarm list names every alarm, text widgets point runbook links at the local
 * runbooks, custom widgets get CloudWatch's event shape. Plus the body syntax the project's dashboard
 * does not use today: the "." shorthand, metric math across periods and dynamic labels.
 */
import * as echarts from 'echarts';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDashboards, type TemplateDashboard } from '../../../local/dashboard/template-dashboards';
import { alarmNames, alarmStatusHtml, sortAlarms, type AlarmSummary } from '../../../local/dashboard/page/alarm-status';
import type { AlarmWidgetProperties, CustomWidgetProperties, MetricWidgetProperties, TextWidgetProperties } from '../../../local/dashboard/page/body';
import { customAnswerHtml, customWidgetEvent, customWidgetTarget } from '../../../local/dashboard/page/custom-widget';
import { fillDynamicLabel, metricChartOption, type QueryData } from '../../../local/dashboard/page/metric-chart';
import { graphedQueries, graphRequests, MetricRowError } from '../../../local/dashboard/page/metric-queries';
import { textWidgetHtml } from '../../../local/dashboard/page/text-widget';
import { drawnPeriod, durationSeconds, initialRange, intervalOf } from '../../../local/dashboard/page/time-range';
import { runbookNames } from '../../../local/dashboard/runbook-pages';
import { IntrinsicResolver } from '../../../local/template/intrinsics';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { PROJECT_ROOT } from '../alarms/alarm-cloud';

let dashboard: TemplateDashboard;
let runbooks: Set<string>;
const NOW = Date.parse('2026-12-02T09:00:00Z');

beforeAll(async () => {
  const { stackName, template } = await synthesizeTemplate({ projectRoot: PROJECT_ROOT });
  const resolver = new IntrinsicResolver(template, { stackName, gatewayEndpoint: 'http://127.0.0.1:4566', apiPort: 3000, downloadPort: 3001 });
  const dashboards = readDashboards(template, (value) => resolver.resolve(value));
  expect(dashboards).toHaveLength(1);
  dashboard = dashboards[0]!;
  runbooks = new Set(await runbookNames());
});

/** Two datapoints for every query: what GetMetricData answers, in its shape. */
function answersFor(ids: readonly string[], interval: { start: Date; end: Date }): QueryData[] {
  const middle = (interval.start.getTime() + interval.end.getTime()) / 2;
  return ids.map((id, index) => ({ id, timestamps: [new Date(middle).toISOString(), new Date(middle + 60_000).toISOString()], values: [index + 1, index + 2] }));
}

function drawSvg(option: Record<string, unknown>): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: 240 });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

describe('the synthesized on-call dashboard', () => {
  it('uses only widget types the local dashboard draws, and opens on its own time range', () => {
    expect(new Set(dashboard.body.widgets.map((widget) => widget.type))).toEqual(new Set(['alarm', 'text', 'metric', 'custom']));
    expect(initialRange(dashboard.body)).toEqual({ mode: 'relative', seconds: 3 * 3600 });
  });

  it('draws every metric widget: its queries, one request per period, and an SVG with every line, label and annotation', () => {
    const interval = intervalOf(initialRange(dashboard.body), NOW);
    const metricWidgets = dashboard.body.widgets.filter((widget) => widget.type === 'metric');
    expect(metricWidgets.length).toBeGreaterThan(20);
    for (const widget of metricWidgets) {
      const properties = widget.properties as MetricWidgetProperties;
      const graphed = graphedQueries(properties, interval);
      expect(graphed).toHaveLength(properties.metrics!.length);
      const requests = graphRequests(graphed);
      for (const request of requests) {
        const periods = new Set(request.queries.map((query) => query.MetricStat?.Period ?? query.Period));
        expect(periods).toEqual(new Set([request.period]));
      }
      const svg = drawSvg(metricChartOption(properties, graphed, answersFor(requests.flatMap((request) => request.queries.map((query) => query.Id)), interval), interval));
      for (const { query, label } of graphed.filter((entry) => entry.query.ReturnData)) {
        expect(svg, `${properties.title}: ${query.Id}`).toContain(label.replace(/\$\{[A-Z]+\}/g, '').replace(/[()]/g, '').trim().split(' ')[0]);
      }
      for (const annotation of properties.annotations?.horizontal ?? []) expect(svg, `${properties.title}: annotation`).toContain(annotation.label);
    }
  });

  it('lists every alarm of the alarm widget with its state, most recently changed first', () => {
    const widget = dashboard.body.widgets.find((candidate) => candidate.type === 'alarm')!;
    const properties = widget.properties as AlarmWidgetProperties;
    const names = alarmNames(properties);
    expect(names.length).toBeGreaterThan(10);
    expect(names.every((name) => name.startsWith('Tidewatch-local-'))).toBe(true);
    const summaries: AlarmSummary[] = names.map((name, index) => ({ name, state: index === 3 ? 'ALARM' : 'OK', since: new Date(NOW - index * 60_000).toISOString(), reason: `reason of ${name}` }));
    const html = alarmStatusHtml(properties, summaries, NOW);
    for (const name of names) expect(html).toContain(`data-alarm="${name}"`);
    expect(properties.sortBy).toBe('stateUpdatedTimestamp');
    expect(sortAlarms(properties, summaries).map((alarm) => alarm.name)).toEqual(names);
    expect(sortAlarms({ ...properties, sortBy: 'default' }, summaries)[0]!.name).toBe(names[3]);
  });

  it('renders every text widget, the runbook links pointing at the local runbooks', () => {
    const texts = dashboard.body.widgets.filter((widget) => widget.type === 'text').map((widget) => textWidgetHtml((widget.properties as TextWidgetProperties).markdown ?? '', runbooks));
    const runbookTable = texts.find((html) => html.includes('<table>'))!;
    const hrefs = [...runbookTable.matchAll(/href="([^"]+)"/g)].map(([, href]) => href);
    expect(hrefs.length).toBeGreaterThan(5);
    expect(hrefs.every((href) => href!.startsWith('/dashboard/runbooks/') && runbooks.has(href!.slice('/dashboard/runbooks/'.length)))).toBe(true);
  });

  it("builds every custom widget's call in CloudWatch's event shape: params at the top level, widgetContext", () => {
    const customs = dashboard.body.widgets.filter((widget) => widget.type === 'custom');
    expect(customs.length).toBeGreaterThan(0);
    for (const widget of customs) {
      const { endpoint, params } = customWidgetTarget(widget.properties as CustomWidgetProperties);
      expect(endpoint).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:/);
      const range = initialRange(dashboard.body);
      const event = customWidgetEvent(params, { place: { dashboardName: dashboard.name, widgetId: 'widget-9', accountId: '000000000000', title: 't', width: 800, height: 300 }, range, interval: intervalOf(range, NOW), period: 300 });
      expect(event).toMatchObject({ ...params, widgetContext: { dashboardName: dashboard.name, widgetId: 'widget-9', params, timeRange: { mode: 'relative', end: NOW, start: NOW - 3 * 3600_000, relativeStart: 3 * 3600_000 } } });
    }
    expect(customAnswerHtml({ markdown: '# hi' }, runbooks)).toContain('<h1>hi</h1>');
    expect(customAnswerHtml({ a: '<b>' }, runbooks)).toBe('<pre>{\n  &quot;a&quot;: &quot;&lt;b&gt;&quot;\n}</pre>');
  });
});

describe('body syntax', () => {
  const interval = { start: new Date(NOW - 3600_000), end: new Date(NOW) };

  it('repeats the value of the row above for "." and takes stat and period from the row, else the widget', () => {
    const graphed = graphedQueries(
      {
        stat: 'Sum',
        period: 60,
        metrics: [
          ['AWS/SQS', 'NumberOfMessagesSent', 'QueueName', 'a'],
          ['.', '.', '.', 'b', { stat: 'Maximum', period: 300, label: 'b sent' }],
          ['.', 'NumberOfMessagesDeleted', '.', '.'],
        ],
      },
      interval,
    );
    expect(graphed.map(({ query }) => [query.MetricStat!.Metric.MetricName, query.MetricStat!.Metric.Dimensions[0]!.Value, query.MetricStat!.Stat, query.MetricStat!.Period, query.Label])).toEqual([
      ['NumberOfMessagesSent', 'a', 'Sum', 60, 'NumberOfMessagesSent'],
      ['NumberOfMessagesSent', 'b', 'Maximum', 300, 'b sent'],
      ['NumberOfMessagesDeleted', 'b', 'Sum', 60, 'NumberOfMessagesDeleted'],
    ]);
    expect(() => graphedQueries({ metrics: [['.', 'X']] }, interval)).toThrow(MetricRowError);
  });

  it('sends an expression with the metrics it names, and fills dynamic labels from the values shown', () => {
    const graphed = graphedQueries(
      { metrics: [[{ expression: 'fast / PERIOD(fast)', label: 'rate' }], ['AWS/ApiGateway', 'Count', { id: 'fast', period: 60, visible: false }], ['AWS/ApiGateway', '5xx']] },
      interval,
    );
    const requests = graphRequests(graphed);
    expect(requests.map((request) => [request.period, request.queries.map((query) => query.Id)])).toEqual([
      [60, ['m1', 'fast']],
      [300, ['m3']],
    ]);
    expect(graphed[1]!.query.ReturnData).toBe(false);
    expect(fillDynamicLabel('p50 (avg: ${AVG}, max ${MAX}, ${UNKNOWN})', [1, 2, 6])).toBe('p50 (avg: 3, max 6, ${UNKNOWN})');
  });

  it('reads relative ranges as ISO 8601 durations and coarsens a period that would draw too many points', () => {
    expect([durationSeconds('-PT3H'), durationSeconds('-P7D'), durationSeconds('-PT15M'), durationSeconds('-P1W')]).toEqual([10_800, 604_800, 900, 604_800]);
    expect(() => durationSeconds('-P')).toThrow(/ISO 8601/);
    expect(initialRange({ start: '2026-12-01T00:00:00Z', end: '2026-12-01T06:00:00Z' })).toEqual({ mode: 'absolute', start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-01T06:00:00Z') });
    expect(drawnPeriod(60, { start: new Date(NOW - 3 * 3600_000), end: new Date(NOW) })).toBe(60);
    expect(drawnPeriod(60, { start: new Date(NOW - 7 * 86_400_000), end: new Date(NOW) })).toBe(900);
  });
});
