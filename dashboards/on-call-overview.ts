/**
 * The on-call overview: what the on-call looks at first. Top row: every catalogue alarm's state; then per
 * work queue its depth, age, in-flight, dead letters, sent vs deleted, the worker's errors, throttles,
 * duration and concurrency, and end-to-end latency, and its dead-letter widget (drawn and operated by the
 * redrive function: top failure reasons, a sample, Peek, Dry run, Redrive and Archive); then the HTTP
 * API; last, every runbook.
 *
 * Built on cdk-monitoring-constructs' MonitoringFacade. The work-queue rows are custom metric groups
 * (the library's SQS and Lambda sections show neither in-flight messages, nor our DeadLettered and
 * EndToEndLatency, nor the alarms' thresholds); the API uses the library's HTTP API section as it is.
 */
import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DefaultDashboardFactory, MonitoringFacade, type CustomMetricGroup } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { metricOf } from '../lib/alarms/alarm-builder';
import { METRICS } from '../contract/metrics';
import { DEFAULT_RATE } from '../contract/redrive';
import { titleOf } from '../contract/naming';
import { DURATION_WARNING_SHARE, type WorkQueueSource } from '../lib/alarms/catalogue';
import { lambdaMetric, sqsMetric, workerMetric } from '../lib/alarms/metrics';
import type { AlarmEntry, MetricSpec } from '../lib/alarms/model';

/** A catalogue alarm as the dashboard shows it. */
export interface DashboardAlarm {
  readonly entry: AlarmEntry;
  readonly alarm: cloudwatch.IAlarm;
  readonly runbookUrl: string;
}

export interface OnCallOverviewProps {
  readonly dashboardName: string;
  /** The `stage` dimension of Tidewatch's own metrics. */
  readonly stage: string;
  readonly workQueues: readonly WorkQueueSource[];
  readonly api: IHttpApi;
  /** The redrive function: it draws each queue's dead-letter widget and runs its buttons. */
  readonly redriveFunctionArn: string;
  /** The freshness SLO's bound, drawn on the end-to-end latency graph. */
  readonly freshnessBound: Duration;
  /** The catalogue's alarms, in catalogue order. */
  readonly alarms: readonly DashboardAlarm[];
  /** Time range shown when the dashboard opens. @default Duration.hours(3) */
  readonly range?: Duration;
}

const MINUTE = Duration.minutes(1);

export class OnCallOverview extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OnCallOverviewProps) {
    super(scope, id);
    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: props.dashboardName,
      detailDashboardRange: props.range ?? Duration.hours(3),
    });
    const facade = new MonitoringFacade(this, 'Facade', { dashboardFactory: dashboards });

    facade.addWidget(
      new cloudwatch.AlarmStatusWidget({
        title: `Tidewatch ${props.stage}: alarms (most recently changed first)`,
        alarms: props.alarms.map(({ alarm }) => alarm),
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: 24,
        height: 2 + Math.ceil(props.alarms.length / 4),
      }),
    );
    for (const queue of props.workQueues) {
      facade.monitorCustom({
        alarmFriendlyName: `${queue.name}-queue`,
        humanReadableName: `${titleOf(queue.name)} work queue (${queue.worker})`,
        metricGroups: workQueueGroups(queue, props),
      });
      facade.addWidget(deadLetterWidget(queue, props.redriveFunctionArn));
    }
    facade.monitorApiGatewayV2HttpApi({ api: props.api, alarmFriendlyName: 'api', humanReadableName: 'HTTP API' });
    facade.addWidget(new cloudwatch.TextWidget({ markdown: runbookList(props.alarms), width: 24, height: 3 + new Set(props.alarms.map(({ entry }) => entry.runbook)).size }));

    if (!dashboards.dashboard) throw new Error('the on-call overview dashboard was not created');
    this.dashboard = dashboards.dashboard;
  }
}

/** Height of a dead-letter widget: its depth line, reasons, a sample of five and its buttons. */
const DEAD_LETTER_WIDGET_HEIGHT = 9;

/**
 * A queue's dead-letter widget: HTML the redrive function renders on each refresh; its buttons call the
 * function with the viewer's own credentials, so only those allowed to invoke it can use them.
 */
function deadLetterWidget(queue: WorkQueueSource, functionArn: string): cloudwatch.CustomWidget {
  return new cloudwatch.CustomWidget({
    title: `${titleOf(queue.name)} dead letters`,
    functionArn,
    params: { queue: queue.name, maxPerSecond: DEFAULT_RATE },
    width: 24,
    height: DEAD_LETTER_WIDGET_HEIGHT,
    updateOnRefresh: true,
    updateOnResize: false,
    updateOnTimeRangeChange: false,
  });
}

function graph(spec: MetricSpec, label: string): cloudwatch.Metric {
  return metricOf(spec, MINUTE, label);
}

function workQueueGroups(queue: WorkQueueSource, props: OnCallOverviewProps): CustomMetricGroup[] {
  const sqs = (metricName: string, statistic: string, queueName = queue.queueName) => sqsMetric(metricName, queueName, statistic);
  const lambda = (metricName: string, statistic: string) => lambdaMetric(metricName, queue.workerFunctionName, statistic);
  const custom = workerMetric(queue, props.stage);
  const timeoutMs = queue.workerTimeout.toMilliseconds();
  return [
    { title: 'Depth (visible)', metrics: [graph(sqs('ApproximateNumberOfMessagesVisible', 'Maximum'), 'visible')] },
    {
      title: 'Oldest message age (s)',
      metrics: [graph(sqs('ApproximateAgeOfOldestMessage', 'Maximum'), 'age of oldest')],
      horizontalAnnotations: [{ value: queue.maxMessageAge.toSeconds(), label: 'queue-age alarm', color: cloudwatch.Color.RED }],
    },
    { title: 'In flight', metrics: [graph(sqs('ApproximateNumberOfMessagesNotVisible', 'Maximum'), 'in flight')] },
    {
      title: 'Dead letters',
      metrics: [
        graph(sqs('ApproximateNumberOfMessagesVisible', 'Maximum', queue.deadLetterQueueName), 'in DLQ'),
        graph(custom(METRICS.deadLettered, 'Sum'), 'dead-lettered'),
      ],
    },
    {
      title: 'Sent vs deleted',
      metrics: [graph(sqs('NumberOfMessagesSent', 'Sum'), 'sent'), graph(sqs('NumberOfMessagesDeleted', 'Sum'), 'deleted')],
    },
    { title: 'Worker errors', metrics: [graph(lambda('Errors', 'Sum'), 'errors'), graph(lambda('Invocations', 'Sum'), 'invocations')] },
    { title: 'Worker throttles', metrics: [graph(lambda('Throttles', 'Sum'), 'throttles')] },
    {
      title: 'Worker duration (ms)',
      metrics: [graph(lambda('Duration', 'p50'), 'p50'), graph(lambda('Duration', 'p99'), 'p99'), graph(lambda('Duration', 'Maximum'), 'max')],
      horizontalAnnotations: [
        { value: DURATION_WARNING_SHARE * timeoutMs, label: 'duration alarm', color: cloudwatch.Color.ORANGE },
        { value: timeoutMs, label: 'timeout', color: cloudwatch.Color.RED },
      ],
    },
    { title: 'Worker concurrency', metrics: [graph(lambda('ConcurrentExecutions', 'Maximum'), 'concurrent executions')] },
    {
      title: 'End-to-end latency (ms)',
      metrics: [graph(custom(METRICS.endToEndLatency, 'p50'), 'p50'), graph(custom(METRICS.endToEndLatency, 'p99'), 'p99')],
      horizontalAnnotations: [{ value: props.freshnessBound.toMilliseconds(), label: 'freshness SLO bound', color: cloudwatch.Color.RED }],
    },
  ];
}

/** A markdown table linking each alarm kind's runbook once, with the alarms it serves. */
function runbookList(alarms: readonly DashboardAlarm[]): string {
  const kinds = Map.groupBy(alarms, ({ entry }) => entry.runbook);
  const rows = [...kinds.values()].map((group) => {
    const [{ entry, runbookUrl }] = group as [DashboardAlarm, ...DashboardAlarm[]];
    return `| ${entry.severity} | [${entry.runbook}](${runbookUrl}) | ${group.map((alarm) => alarm.entry.id).join(', ')} |`;
  });
  return ['## Runbooks', '', '| Severity | Runbook | Alarms |', '|---|---|---|', ...rows].join('\n');
}
