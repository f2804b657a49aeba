/**
 * A local cloud for the dashboard's browser tests: the synthesized stack (retries 1 s and 2 s apart, so
 * a poison job dies in seconds) with one widget the renderer does not know added to its dashboard, the
 * local CloudWatch on a paused `DrivenClock` (an alarm's state holds while the browser reads it), and a
 * headless Chromium.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import type { SynthesizedStack } from '../../../local/template/model';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import type { Locator } from 'playwright-core';
import { launchBrowser, type HeadlessBrowser } from '../../support/browser';
import { DrivenClock } from '../../support/driven-clock';
import { PROJECT_ROOT } from '../alarms/alarm-cloud';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A CloudWatch widget type (Logs Insights) the local dashboard does not draw. */
export const UNSUPPORTED_WIDGET = { type: 'log', x: 0, y: 76, width: 12, height: 4, properties: { title: 'Worker errors in the logs', query: "SOURCE '/aws/lambda/x' | fields @message", region: 'us-east-1' } };

export interface DashboardCloud {
  readonly cloud: LocalCloud;
  readonly clock: DrivenClock;
  readonly browser: HeadlessBrowser;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  /** `http://127.0.0.1:<port>/dashboard` */
  readonly dashboardUrl: string;
  alarmState(name: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** The template with `widget` appended to its dashboard's body (the last piece of its Fn::Join closes the list). */
function withExtraWidget(stack: SynthesizedStack, widget: unknown): SynthesizedStack {
  const patched = structuredClone(stack);
  const dashboard = Object.values(patched.template.Resources).find((resource) => resource.Type === 'AWS::CloudWatch::Dashboard') as unknown as { Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } } };
  const pieces = dashboard.Properties.DashboardBody['Fn::Join'][1];
  const last = pieces.at(-1) as string;
  if (!last.endsWith(']}')) throw new Error('the dashboard body no longer ends with its widget list');
  pieces[pieces.length - 1] = `${last.slice(0, -2)},${JSON.stringify(widget)}]}`;
  return patched;
}

export async function startDashboardCloud(): Promise<DashboardCloud> {
  const synthesized = await synthesizeTemplate({ context: { tidewatch: { retryBackoffBaseSeconds: 1 } }, projectRoot: PROJECT_ROOT });
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-dashboard-'));
  const clock = new DrivenClock({ paused: true });
  const cloud = await startLocalCloud({
    template: withExtraWidget(synthesized, UNSUPPORTED_WIDGET),
    projectRoot: PROJECT_ROOT,
    port: 0,
    apiPort: 0,
    downloadPort: 0,
    stateDirectory,
    pollWaitSeconds: 2,
    cloudWatchClock: clock,
  });
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await launchBrowser({ width: 1400, height: 1000 });
  const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
  const sqs = new SQSClient(common);
  const cloudWatch = new CloudWatchClient(common);
  return {
    cloud,
    clock,
    browser,
    sqs,
    cloudWatch,
    dashboardUrl: `${cloud.endpoints.downloads}dashboard`,
    async alarmState(name) {
      const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
      return MetricAlarms[0]?.StateValue;
    },
    async stop() {
      await browser.close();
      await cloud.stop();
      sqs.destroy();
      cloudWatch.destroy();
      await rm(stateDirectory, { recursive: true, force: true });
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
