/**
 * A custom widget's call, as CloudWatch makes it: the widget's `params` at the top level of the event
 * and a `widgetContext` describing the dashboard, the widget and the time range; a `<cwdb-action>`
 * call sends its own parameters the same way. The function answers HTML, `{"markdown": ...}` or other
 * JSON, shown as CloudWatch shows each.
 */
import escapeHtml from 'escape-html';
import type { CustomWidgetProperties } from './body';
import { textWidgetHtml } from './text-widget';
import type { Interval, TimeRange } from './time-range';

export interface WidgetPlace {
  readonly dashboardName: string;
  readonly widgetId: string;
  readonly accountId: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

export interface CustomCall {
  readonly place: WidgetPlace;
  readonly range: TimeRange;
  readonly interval: Interval;
  /** The dashboard's period when it overrides the widgets', in seconds. */
  readonly period: number;
}

export function customWidgetEvent(params: Record<string, unknown> | undefined, call: CustomCall): Record<string, unknown> {
  const { place, range, interval } = call;
  return {
    ...params,
    widgetContext: {
      dashboardName: place.dashboardName,
      widgetId: place.widgetId,
      accountId: place.accountId,
      locale: 'en',
      timezone: { label: 'UTC', offsetISO: '+00:00', offsetInMinutes: 0 },
      period: call.period,
      isAutoPeriod: true,
      timeRange: {
        mode: range.mode,
        start: interval.start.getTime(),
        end: interval.end.getTime(),
        ...(range.mode === 'relative' ? { relativeStart: range.seconds * 1000 } : {}),
      },
      theme: 'light',
      linkCharts: true,
      title: place.title,
      forms: { all: {} },
      params: params ?? {},
      width: place.width,
      height: place.height,
    },
  };
}

/** The widget's parameters, or the reason it cannot be called. */
export function customWidgetTarget(properties: CustomWidgetProperties): { endpoint: string; params: Record<string, unknown> } {
  if (!properties.endpoint) throw new Error('this custom widget names no Lambda function (endpoint)');
  return { endpoint: properties.endpoint, params: properties.params ?? {} };
}

/** A function's answer as markup (not yet sanitized): HTML as it is, Markdown rendered, other JSON shown. */
export function customAnswerHtml(payload: unknown, runbooks: ReadonlySet<string>): string {
  if (typeof payload === 'string') return payload;
  if (typeof payload === 'object' && payload !== null && typeof (payload as { markdown?: unknown }).markdown === 'string') {
    return textWidgetHtml((payload as { markdown: string }).markdown, runbooks);
  }
  return `<pre>${escapeHtml(JSON.stringify(payload, null, 2))}</pre>`;
}
