/**
 * Time to page on the local cloud: from a job's final failure (the job worker's final-attempt log line)
 * to the page arriving on the paging topic (a subscribed queue's SentTimestamp), for the high-resolution
 * dead-lettered alarm and for the DLQ-not-empty backstop, over several poison jobs. Beside them, what
 * cdk-monitoring-constructs' default DLQ alarm would take for the same dead letters, computed from its
 * definition (synthesized here, not assumed). Target: dead-lettered ≤ 30 s.
 *
 *   npx tsx bench/time-to-page.ts [--trials 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { PagingInbox, realPages, type AlarmStateValue, type ReceivedPage } from '../local/paging-inbox';
import { synthesizeTemplate } from '../local/template/synthesize';
import { LOCAL_CREDENTIALS } from '../contract/local-cloud';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const TARGET_SECONDS = 30;

interface AlarmShape {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly statistic: string;
  readonly treatMissingData: string;
}

interface MetricQuery {
  readonly MetricStat?: { readonly Metric: { readonly MetricName: string }; readonly Period: number; readonly Stat: string };
}

/** cdk-monitoring-constructs' DLQ max-size alarm with nothing but its required threshold set (> 0 messages). */
function referenceDlqAlarm(): AlarmShape {
  const stack = new Stack(new App(), 'Reference');
  const queue = new sqs.Queue(stack, 'Queue');
  const deadLetterQueue = new sqs.Queue(stack, 'DeadLetterQueue');
  new MonitoringFacade(stack, 'Monitoring').monitorSqsQueueWithDlq({
    queue,
    deadLetterQueue,
    addDeadLetterQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
  });
  const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, unknown> }>;
  // The library names its metric (a label), so CDK writes it as a one-query Metrics list.
  const visible = (alarm: { Properties: Record<string, unknown> }) =>
    ((alarm.Properties.Metrics ?? []) as MetricQuery[]).find((query) => query.MetricStat?.Metric.MetricName === 'ApproximateNumberOfMessagesVisible')?.MetricStat;
  const alarm = alarms.find(visible);
  const stat = alarm && visible(alarm);
  if (!alarm || !stat) throw new Error('cdk-monitoring-constructs made no DLQ ApproximateNumberOfMessagesVisible alarm');
  const p = alarm.Properties;
  return {
    periodSeconds: stat.Period,
    evaluationPeriods: Number(p.EvaluationPeriods),
    datapointsToAlarm: Number(p.DatapointsToAlarm ?? p.EvaluationPeriods),
    statistic: stat.Stat,
    treatMissingData: String(p.TreatMissingData ?? 'missing'),
  };
}

/**
 * When an M-of-N alarm on the DLQ's visible messages first fires for a message that arrived at
 * `arrivedAt` and stayed: the period holding the arrival breaches, and so does each one after it; the
 * alarm fires at the end of the M-th breaching period (CloudWatch evaluates a period once it has ended).
 * SQS's own delay in publishing the metric (about a minute) comes on top and is not counted.
 */
function referencePageAt(alarm: AlarmShape, arrivedAt: number): number {
  const periodMs = alarm.periodSeconds * 1000;
  return Math.floor(arrivedAt / periodMs) * periodMs + alarm.datapointsToAlarm * periodMs;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

interface Trial {
  readonly failedAt: number;
  readonly dlqAt: number;
  readonly deadLetteredPage: number;
  readonly dlqNotEmptyPage: number;
}

/**
 * Waits until trial `index` of `count` is due. Alarms are evaluated on grids (every 10 s, every minute):
 * trials that all start right after the previous one's last page would fail at the same point of those
 * grids and time one case over and over. Trial i starts i/count of the way into a minute and, on top,
 * i/count of the way into a 10 s step, so the trials sample both grids evenly.
 */
async function startTrialOnGrid(index: number, count: number): Promise<void> {
  const offset = ((index / count) * 60_000 + (index / count) * 10_000) % 60_000;
  const now = Date.now() % 60_000;
  await new Promise((resolve) => setTimeout(resolve, (offset - now + 60_000) % 60_000));
}

async function runTrial(cloud: LocalCloud, inbox: PagingInbox, queues: SQSClient, lines: string[]): Promise<Trial> {
  const alarm = (id: string) => `${cloud.stackName}-${id}`;
  const firstPageIndex = inbox.pages.length;
  const pageOf = (name: string, state: AlarmStateValue) => async (): Promise<ReceivedPage | undefined> => {
    await inbox.receive();
    return realPages(inbox.pages.slice(firstPageIndex)).find((page) => page.alarmName === name && page.newState === state);
  };
  const dlqUrl = cloud.outputs.JobsDeadLetterQueueUrl!;
  const dlqDepth = async () => {
    const { Attributes = {} } = await queues.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(Attributes.ApproximateNumberOfMessages);
  };

  const submitted = await fetch(`${cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'echo', fail: true }) });
  const { jobId } = (await submitted.json()) as { jobId: string };
  const finalAttempt = await waitFor(
    'the final-attempt log line',
    () => lines.map((line) => (line.includes(jobId) && line.includes('final attempt') ? (JSON.parse(line) as { timestamp: string }) : undefined)).find(Boolean),
    120_000,
  );
  const failedAt = Date.parse(finalAttempt.timestamp);
  const dlqAt = await waitFor('the job in the DLQ', async () => ((await dlqDepth()) > 0 ? Date.now() : undefined), 600_000);
  const deadLettered = await waitFor('the dead-lettered page', pageOf(alarm('jobs-dead-lettered'), 'ALARM'), 120_000, 200);
  const dlqNotEmpty = await waitFor('the DLQ-not-empty page', pageOf(alarm('jobs-dlq-not-empty'), 'ALARM'), 300_000, 200);

  // Back to a quiet pipeline before the next trial: both alarms must page OK before they can page again.
  await queues.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
  await waitFor('both OK pages', async () => ((await pageOf(alarm('jobs-dead-lettered'), 'OK')()) && (await pageOf(alarm('jobs-dlq-not-empty'), 'OK')()) ? true : undefined), 300_000, 500);
  return { failedAt, dlqAt, deadLetteredPage: deadLettered.deliveredAt, dlqNotEmptyPage: dlqNotEmpty.deliveredAt };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '5' } } });
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials must be a positive integer, got ${values.trials}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const reference = referenceDlqAlarm();
  // Backoff 1 s: the three attempts before the final failure take seconds; what is timed starts after them.
  const template = await synthesizeTemplate({ context: { tidewatch: { retryBackoffBaseSeconds: 1 } }, projectRoot: PROJECT_ROOT });
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-time-to-page-'));
  const cloud = await startLocalCloud({ template, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory });
  const lines: string[] = [];
  cloud.runtime.onLine((_functionName, line) => lines.push(line));
  const inbox = await PagingInbox.subscribe({ endpoint: cloud.endpoints.aws, region: cloud.services.region, topicArn: cloud.outputs.PagingTopicArn! });
  const queues = new SQSClient({ endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: LOCAL_CREDENTIALS });
  const results: Trial[] = [];
  try {
    for (let trial = 1; trial <= trials; trial++) {
      await startTrialOnGrid(trial - 1, trials);
      const result = await runTrial(cloud, inbox, queues, lines);
      results.push(result);
      process.stdout.write(
        `trial ${trial}/${trials}: dead-lettered ${seconds(result.deadLetteredPage - result.failedAt)}, DLQ-not-empty ${seconds(result.dlqNotEmptyPage - result.failedAt)} (in the DLQ after ${seconds(result.dlqAt - result.failedAt)})\n`,
      );
    }
  } finally {
    inbox.close();
    queues.destroy();
    await cloud.stop();
    await rm(stateDirectory, { recursive: true, force: true });
  }

  const rows: Array<[string, number[]]> = [
    ['jobs-dead-lettered (DeadLettered, 10 s period, 1 of 1)', results.map((r) => r.deadLetteredPage - r.failedAt)],
    ['jobs-dlq-not-empty (DLQ visible, 1 min period, 1 of 1)', results.map((r) => r.dlqNotEmptyPage - r.failedAt)],
    [
      `cdk-monitoring-constructs default DLQ alarm (${reference.statistic} visible, ${reference.periodSeconds / 60} min period, ${reference.datapointsToAlarm} of ${reference.evaluationPeriods}), computed`,
      results.map((r) => referencePageAt(reference, r.dlqAt) - r.failedAt),
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`\nTime from a job's final failure to its page on the paging topic (local cloud, ${trials} trials)\n\n`);
  process.stdout.write(`${'alarm'.padEnd(width)}  ${'median'.padStart(9)}  ${'min'.padStart(9)}  ${'max'.padStart(9)}\n`);
  for (const [name, times] of rows) {
    process.stdout.write(`${name.padEnd(width)}  ${seconds(median(times)).padStart(9)}  ${seconds(Math.min(...times)).padStart(9)}  ${seconds(Math.max(...times)).padStart(9)}\n`);
  }
  const deadLetteredMedian = median(rows[0]![1]) / 1000;
  process.stdout.write(
    `\nTarget dead-lettered ≤ ${TARGET_SECONDS} s: ${deadLetteredMedian <= TARGET_SECONDS ? 'met' : 'NOT met'} (median ${deadLetteredMedian.toFixed(1)} s).\n` +
      `Reference alarm as synthesized: Period ${reference.periodSeconds} s, EvaluationPeriods ${reference.evaluationPeriods}, DatapointsToAlarm ${reference.datapointsToAlarm}, ` +
      `TreatMissingData ${reference.treatMissingData}; its page comes at the end of the ${reference.datapointsToAlarm} consecutive breaching periods that begin with the one the message reached the DLQ in (before SQS's own metric delay).\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`time-to-page: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
