/**
 * Draws one widget of the body into its place on the page, by type: metric graphs (ECharts), the alarm
 * status list, text and custom widgets; any other type (or graph view) says it is not supported here.
 * A widget that fails shows its error in its own place; the others are drawn regardless.
 */
import type * as ECharts from 'echarts';
import { alarmNames, alarmStatusHtml } from '../alarm-status';
import type { AlarmWidgetProperties, CustomWidgetProperties, MetricWidgetProperties, TextWidgetProperties, Widget } from '../body';
import { sanitizeWidgetHtml, wireActions, type ActionHost } from './custom-actions';
import { customAnswerHtml, customWidgetEvent, customWidgetTarget, type CustomCall } from '../custom-widget';
import { calls } from './dashboard-calls';
import { formatNumber, metricChartOption, pointsOf } from '../metric-chart';
import { graphedQueries, graphRequests } from '../metric-queries';
import { textWidgetHtml } from '../text-widget';

declare const echarts: typeof ECharts;

/** Graph views the local dashboard draws. */
const DRAWN_VIEWS = new Set(['timeSeries', 'singleValue']);

export interface DrawContext extends Omit<CustomCall, 'place'> {
  readonly dashboardName: string;
  readonly accountId: string;
  readonly runbooks: ReadonlySet<string>;
  /** Why this draw happens: custom widgets redraw only where their `updateOn` says so. */
  readonly reason: 'open' | 'refresh' | 'timeRange';
  confirm(message: string): Promise<boolean>;
  popup(html: string, wire: (root: Element) => void): void;
  closePopup(): void;
}

export function unsupportedNotice(what: string): string {
  return `<p class="notice" data-notice="unsupported">${what} is not supported by the local dashboard.</p>`;
}

export async function drawWidget(widget: Widget, index: number, content: HTMLElement, context: DrawContext): Promise<void> {
  const properties = widget.properties ?? {};
  switch (widget.type) {
    case 'metric':
      return drawMetric(properties as MetricWidgetProperties, content, context);
    case 'alarm': {
      const alarmProperties = properties as AlarmWidgetProperties;
      content.innerHTML = alarmStatusHtml(alarmProperties, await calls.alarms(alarmNames(alarmProperties)), Date.now());
      return;
    }
    case 'text':
      content.innerHTML = sanitizeWidgetHtml(textWidgetHtml((properties as TextWidgetProperties).markdown ?? '', context.runbooks));
      return;
    case 'custom':
      return drawCustom(widget, index, content, context);
    default:
      content.innerHTML = unsupportedNotice(`The widget type "${escapeText(widget.type)}"`);
  }
}

async function drawMetric(properties: MetricWidgetProperties, content: HTMLElement, context: DrawContext): Promise<void> {
  const view = properties.view ?? 'timeSeries';
  if (!DRAWN_VIEWS.has(view)) {
    content.innerHTML = unsupportedNotice(`The graph view "${escapeText(view)}"`);
    return;
  }
  const graphed = graphedQueries(properties, context.interval);
  const answers = await Promise.all(graphRequests(graphed).map((request) => calls.metricData(request.queries, context.interval.start, context.interval.end)));
  const data = answers.flat();
  if (view === 'singleValue') {
    echarts.getInstanceByDom(content)?.dispose();
    const shown = graphed.filter(({ query }) => query.ReturnData);
    content.innerHTML = `<ul class="single-values">${shown
      .map(({ query, label }) => {
        const last = pointsOf(data.find((entry) => entry.id === query.Id)).at(-1);
        return `<li><span class="value">${last ? formatNumber(last[1]) : '-'}</span><span class="label">${escapeText(label)}</span></li>`;
      })
      .join('')}</ul>`;
    return;
  }
  const chart = echarts.getInstanceByDom(content) ?? echarts.init(content, null, { renderer: 'canvas' });
  chart.setOption(metricChartOption(properties, graphed, data, context.interval) as ECharts.EChartsOption, { notMerge: true });
}

async function drawCustom(widget: Widget, index: number, content: HTMLElement, context: DrawContext): Promise<void> {
  const properties = widget.properties as CustomWidgetProperties;
  const updateOn = properties.updateOn ?? {};
  if (context.reason === 'refresh' && updateOn.refresh === false && content.dataset.drawn) return;
  if (context.reason === 'timeRange' && updateOn.timeRange === false && content.dataset.drawn) return;
  const { endpoint, params } = customWidgetTarget(properties);
  const place = { dashboardName: context.dashboardName, widgetId: `widget-${index}`, accountId: context.accountId, title: properties.title ?? '', width: content.clientWidth, height: content.clientHeight };
  const call = async (functionName: string, callParams: Record<string, unknown>): Promise<string> => {
    const answer = await calls.invoke(functionName, customWidgetEvent(callParams, { ...context, place }));
    if (answer.functionError) {
      const { errorType, errorMessage } = (answer.payload ?? {}) as { errorType?: string; errorMessage?: string };
      throw new Error(`the widget's function failed (${answer.functionError}): ${errorType ?? 'Error'}: ${errorMessage ?? ''}`);
    }
    return customAnswerHtml(answer.payload, context.runbooks);
  };
  const show = (html: string) => {
    content.innerHTML = sanitizeWidgetHtml(html);
    content.dataset.drawn = 'true';
    wireActions(content, host);
  };
  const host: ActionHost = {
    call,
    confirm: context.confirm,
    // An action in the popup that answers into the widget closes the popup: the answer is in the widget.
    popup: (html: string) =>
      context.popup(sanitizeWidgetHtml(html), (root) =>
        wireActions(root, {
          ...host,
          replaceWidget: (answer) => {
            context.closePopup();
            show(answer);
          },
        }),
      ),
    replaceWidget: show,
    fail: (message: string) => {
      content.insertAdjacentHTML('afterbegin', `<p class="widget-error">${escapeText(message)}</p>`);
    },
  };
  show(await call(endpoint, params));
}

export function escapeText(text: string): string {
  const element = document.createElement('span');
  element.textContent = text;
  return element.innerHTML;
}
