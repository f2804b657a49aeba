/**
 * The alarm catalogue: the single source of truth for every Tidewatch alarm. Every work queue gets the
 * same set of alarm kinds; the stack builds the alarms from it (alarm-builder.ts), the dashboard shows
 * them, each alarm's description names its queue and links its kind's runbook (`runbooks/<kind>.md`),
 * and the tests check every entry against the template, the runbooks and the metrics the handlers
 * really emit.
 *
 * Every alarm treats missing data as not breaching, each for a stated reason: on a quiet, healthy
 * pipeline most of these metrics have no datapoints at all, and an alarm must then be OK, never
 * INSUFFICIENT_DATA. Nothing here needs a "heartbeat" alarm (missing = breaching): the stall alarm
 * watches the queue, which SQS measures whether or not the worker runs.
 */
import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS } from '../../contract/metrics';
import { queueAlarmId, titleOf } from '../../contract/naming';
import type { WorkQueueAlarmKind } from '../../contract/runbooks';
import { WORKERS, type WorkerName } from '../../contract/workers';
import { httpApiMetric, lambdaMetric, sqsMetric, workerMetric } from './metrics';
import type { AlarmEntry, MetricAlarmEntry } from './model';
import { latencyBurnRateWindows, ratioBurnRateWindows } from './slo';


/** One work queue's resources, as names or CloudFormation tokens. */
export interface WorkQueueSource {
  readonly name: string;
  /** The worker kind that runs it: what it emits. */
  readonly worker: WorkerName;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly workerFunctionName: string;
  readonly workerTimeout: Duration;
  /** The queue-age alarm's bound. */
  readonly maxMessageAge: Duration;
}

export interface CatalogueSources {
  /** The `stage` dimension of every Tidewatch metric. */
  readonly stage: string;
  readonly workQueues: readonly WorkQueueSource[];
  /** The HTTP API's id (the `ApiId` dimension). */
  readonly apiId: string;
  readonly successSloPercent: number;
  readonly freshnessSloPercent: number;
  readonly freshnessSloBound: Duration;
}

/** Share of the worker's timeout above which its p99 duration warns. */
export const DURATION_WARNING_SHARE = 0.8;

const NO_DATA_IS_QUIET = 'Lambda publishes nothing while the function is not invoked: no invocations, nothing wrong.';

export function alarmCatalogue(sources: CatalogueSources): AlarmEntry[] {
  return [...sources.workQueues.flatMap((queue) => workQueueAlarms(queue, sources)), apiServerErrors(sources.apiId)];
}

function workQueueAlarms(queue: WorkQueueSource, sources: CatalogueSources): AlarmEntry[] {
  const title = titleOf(queue.name);
  const { worker } = queue;
  const { itemKind: item, succeeded } = WORKERS[worker];
  const custom = workerMetric(queue, sources.stage);
  const lambda = (metricName: string, statistic: string) => lambdaMetric(metricName, queue.workerFunctionName, statistic);
  const id = (kind: WorkQueueAlarmKind) => queueAlarmId(queue.name, kind);
  const of = (kind: WorkQueueAlarmKind) => ({ id: id(kind), runbook: kind, queue: queue.name });
  const metric = (kind: WorkQueueAlarmKind, entry: Omit<MetricAlarmEntry, 'kind' | 'runbook' | 'id' | 'queue'>): MetricAlarmEntry => ({ kind: 'metric', ...of(kind), ...entry });
  const timeoutSeconds = queue.workerTimeout.toSeconds();
  const ageSeconds = queue.maxMessageAge.toSeconds();
  const freshnessSeconds = sources.freshnessSloBound.toSeconds();

  return [
    metric('dead-lettered', {
      title: `${title} dead-lettered`,
      summary: `A ${item} failed on its final attempt: its message is moving to the ${queue.name} dead-letter queue.`,
      severity: 'critical',
      // High resolution (10 s): pages within seconds of the final failure, before the DLQ metric moves.
      signal: custom(METRICS.deadLettered, 'Sum'),
      period: Duration.seconds(10),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 0,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: 'The worker emits DeadLettered only when a record dies: no data means nothing died.',
    }),
    metric('dlq-not-empty', {
      title: `${title} DLQ not empty`,
      summary: `The ${queue.name} dead-letter queue holds messages: ${item}s that were never processed.`,
      severity: 'critical',
      signal: sqsMetric('ApproximateNumberOfMessagesVisible', queue.deadLetterQueueName, 'Maximum'),
      period: Duration.minutes(1),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 0,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: 'SQS publishes nothing for a queue that has been idle for hours: an unused DLQ is an empty one.',
    }),
    metric('queue-age', {
      title: `${title} queue age`,
      summary: `A ${item} has waited over ${ageSeconds} s in the ${queue.name} queue: the worker is falling behind.`,
      severity: 'high',
      signal: sqsMetric('ApproximateAgeOfOldestMessage', queue.queueName, 'Maximum'),
      period: Duration.minutes(1),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: ageSeconds,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: 'SQS publishes nothing for an idle queue: nothing waits, so nothing is old.',
    }),
    metric('stall', {
      title: `${title} stalled`,
      summary: `${title} have waited in the ${queue.name} queue for 5 minutes and none was processed: the worker is stalled.`,
      severity: 'critical',
      // Minimum of visible: messages were waiting throughout each minute, not just arriving at its end.
      signal: {
        expression: 'IF(FILL(visible, 0) > 0 AND FILL(deleted, 0) == 0, 1, 0)',
        usingMetrics: {
          visible: sqsMetric('ApproximateNumberOfMessagesVisible', queue.queueName, 'Minimum'),
          deleted: sqsMetric('NumberOfMessagesDeleted', queue.queueName, 'Sum'),
        },
        label: 'stalled (1 = waiting, none deleted)',
      },
      period: Duration.minutes(1),
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      threshold: 1,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: 'FILL(…, 0) gives a datapoint whenever SQS reports the queue; an idle queue reports nothing and is not stalled.',
    }),
    metric('worker-errors', {
      title: `${title} worker errors`,
      summary: `Over 5% of ${worker} invocations failed (crash or timeout) in each of the last 5 minutes.`,
      severity: 'high',
      signal: {
        expression: 'IF(FILL(invocations, 0) > 0, 100 * FILL(errors, 0) / FILL(invocations, 0), 0)',
        usingMetrics: { errors: lambda('Errors', 'Sum'), invocations: lambda('Invocations', 'Sum') },
        label: 'error rate (%)',
      },
      period: Duration.minutes(1),
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      threshold: 5,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: NO_DATA_IS_QUIET,
    }),
    metric('worker-throttles', {
      title: `${title} worker throttles`,
      summary: `Lambda throttled the ${worker} in 3 of the last 5 minutes: ${item}s wait longer.`,
      severity: 'warning',
      signal: lambda('Throttles', 'Sum'),
      period: Duration.minutes(1),
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: 0,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: NO_DATA_IS_QUIET,
    }),
    metric('worker-duration', {
      title: `${title} worker duration`,
      summary: `The ${worker}'s p99 duration is over ${DURATION_WARNING_SHARE * 100}% of its ${timeoutSeconds} s timeout: timeouts are near.`,
      severity: 'warning',
      signal: lambda('Duration', 'p99'),
      period: Duration.minutes(5),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: Math.round(DURATION_WARNING_SHARE * queue.workerTimeout.toMilliseconds()),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      missingDataReason: NO_DATA_IS_QUIET,
    }),
    {
      kind: 'burn-rate',
      ...of('success-slo-burn'),
      title: `${title} success SLO burn`,
      summary: `${title} are dead-lettered fast enough to spend the ${sources.successSloPercent}% success SLO's error budget (14.4x over 1 h and 5 min, or 6x over 6 h and 30 min).`,
      severity: 'critical',
      // Items rejected for bad input are neither good nor bad: retrying could not have helped them.
      windows: ratioBurnRateWindows({ bad: custom(METRICS.deadLettered, 'Sum'), good: custom(succeeded, 'Sum') }, sources.successSloPercent),
    },
    {
      kind: 'burn-rate',
      ...of('freshness-slo-burn'),
      title: `${title} freshness SLO burn`,
      summary: `Too many ${item}s take over ${freshnessSeconds} s end to end: the ${sources.freshnessSloPercent}% freshness SLO's budget burns 14.4x (1 h and 5 min) or 6x (6 h and 30 min) too fast.`,
      severity: 'critical',
      windows: latencyBurnRateWindows(custom(METRICS.endToEndLatency, 'p50'), sources.freshnessSloPercent, sources.freshnessSloBound),
    },
  ];
}

function apiServerErrors(apiId: string): MetricAlarmEntry {
  const api = (metricName: string) => httpApiMetric(metricName, apiId, 'Sum');
  return {
    kind: 'metric',
    id: 'api-5xx',
    runbook: 'api-5xx',
    title: 'API 5xx',
    summary: 'Over 1% of HTTP API requests answered 5xx in each of the last 5 minutes: clients cannot upload or submit jobs.',
    severity: 'high',
    signal: {
      expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
      usingMetrics: { errors: api('5xx'), requests: api('Count') },
      label: '5xx rate (%)',
    },
    period: Duration.minutes(1),
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    threshold: 1,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    missingDataReason: 'API Gateway publishes nothing without requests: no requests, no errors.',
  };
}
