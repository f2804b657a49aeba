/**
 * A local cloud for the dashboard's browser tests: the alarm tests' cloud (retries 1 s and 2 s apart, so
 * a poison job dies in seconds) with one widget the renderer does not know added to its dashboard, the
 * local CloudWatch's clock paused (an alarm's state holds while the browser reads it), and a headless
 * Chromium.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { SynthesizedStack } from '../../../local/template/model';
import { launchBrowser, type HeadlessBrowser } from '../../support/browser';
import { PROJECT_ROOT, startAlarmCloud, type AlarmCloud } from '../alarms/alarm-cloud';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

/** A CloudWatch widget type (Logs Insights) the local dashboard does not draw, below the others. */
export const UNSUPPORTED_WIDGET = { type: 'log', x: 0, y: 76, width: 12, height: 4, properties: { title: 'Worker errors in the logs', query: "SOURCE '/aws/lambda/x' | fields @message", region: 'us-east-1' } };

export interface DashboardCloud extends AlarmCloud {
  readonly browser: HeadlessBrowser;
  /** `http://127.0.0.1:<port>/dashboard` */
  readonly dashboardUrl: string;
}

/** The template with `widget` appended to its dashboard's body (the last piece of its Fn::Join closes the list). */
function withExtraWidget(stack: SynthesizedStack, widget: unknown): SynthesizedStack {
  const dashboard = Object.values(stack.template.Resources).find((resource) => resource.Type === 'AWS::CloudWatch::Dashboard') as unknown as { Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } } };
  const pieces = dashboard.Properties.DashboardBody['Fn::Join'][1];
  const last = pieces.at(-1) as string;
  if (!last.endsWith(']}')) throw new Error('the dashboard body no longer ends with its widget list');
  pieces[pieces.length - 1] = `${last.slice(0, -2)},${JSON.stringify(widget)}]}`;
  return stack;
}

export async function startDashboardCloud(): Promise<DashboardCloud> {
  const alarmCloud = await startAlarmCloud({
    context: { tidewatch: { retryBackoffBaseSeconds: 1 } },
    patchTemplate: (stack) => withExtraWidget(stack, UNSUPPORTED_WIDGET),
    pausedClock: true,
  });
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await launchBrowser({ width: 1400, height: 1000 });
  return {
    ...alarmCloud,
    browser,
    dashboardUrl: `${alarmCloud.cloud.endpoints.downloads}dashboard`,
    async stop() {
      await browser.close();
      await alarmCloud.stop();
    },
  };
}

/** The ECharts option of the graph drawn in `content` (a metric widget's content element), read in the page. */
export function chartOption<T>(content: Locator): Promise<T> {
  return content.evaluate((element: unknown) => {
    const charts = (globalThis as unknown as { echarts: { getInstanceByDom(element: unknown): { getOption(): unknown } | undefined } }).echarts;
    const chart = charts.getInstanceByDom(element);
    if (!chart) throw new Error('no chart is drawn there');
    return chart.getOption() as T;
  });
}
