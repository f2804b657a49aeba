/**
 * The SNS notification CloudWatch publishes when an alarm changes state: the same JSON message
 * (AlarmName, NewStateValue, NewStateReason, Trigger, ...) and subject, and the publisher that sends
 * it through the real SNS client.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlarmDefinition, AlarmState, AlarmStatus, MetricAlarmDefinition } from './alarm-model';
import { awsTimestamp } from './alarm-reason';
import { LOCAL_CLOUDWATCH_CREDENTIALS } from '../../contract/local-cloud';

/** Publishes one message to one topic; resolves to the SNS MessageId. */
export type Publisher = (topicArn: string, subject: string, message: string) => Promise<string | undefined>;

export interface SnsPublisherOptions {
  /** The local endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  readonly region: string;
}

/** Publishes with the real SNS client to the local endpoint (fauxqs behind the gateway), as the local CloudWatch. */
export function snsPublisher(options: SnsPublisherOptions): Publisher {
  const sns = new SNSClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: LOCAL_CLOUDWATCH_CREDENTIALS,
  });
  return async (topicArn, subject, message) =>
    (await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }))).MessageId;
}

export interface Transition {
  readonly alarm: AlarmDefinition;
  readonly oldState: AlarmState;
  readonly newStatus: AlarmStatus;
  /** For a composite alarm: the children whose state made the rule true or false. */
  readonly triggeringChildren?: ReadonlyArray<{ readonly arn: string; readonly state: AlarmState; readonly timestamp: number }>;
}

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-central-1': 'EU (Frankfurt)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
};

/** SNS subjects are limited to 100 characters. */
const MAX_SUBJECT = 100;

export function alarmNotification(
  transition: Transition,
  context: { readonly region: string; readonly accountId: string; readonly configuredAt: number },
): { subject: string; message: string } {
  const { alarm, oldState, newStatus } = transition;
  const regionName = REGION_NAMES[context.region] ?? context.region;
  const message = {
    AlarmName: alarm.name,
    AlarmDescription: alarm.description ?? null,
    AWSAccountId: context.accountId,
    AlarmConfigurationUpdatedTimestamp: awsTimestamp(context.configuredAt),
    NewStateValue: newStatus.value,
    NewStateReason: newStatus.reason,
    StateChangeTime: awsTimestamp(newStatus.updatedAt),
    Region: regionName,
    AlarmArn: alarm.arn,
    OldStateValue: oldState,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    ...(alarm.type === 'MetricAlarm'
      ? { Trigger: trigger(alarm) }
      : {
          AlarmRule: alarm.alarmRule,
          TriggeringChildren: (transition.triggeringChildren ?? []).map((c) => ({
            Arn: c.arn,
            State: { Value: c.state, Timestamp: awsTimestamp(c.timestamp) },
          })),
        }),
  };
  const subject = `${newStatus.value}: "${alarm.name}" in ${regionName}`;
  return { subject: subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject, message: JSON.stringify(message) };
}

function trigger(alarm: MetricAlarmDefinition): Record<string, unknown> {
  const common = {
    Period: alarm.period,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile ?? '',
  };
  const dimensions = (list: ReadonlyArray<{ Name?: string; Value?: string }>) => list.map((d) => ({ value: d.Value, name: d.Name }));
  if (alarm.metric) {
    const { metric } = alarm;
    return {
      MetricName: metric.metricName,
      Namespace: metric.namespace,
      StatisticType: metric.statistic ? 'Statistic' : 'ExtendedStatistic',
      ...(metric.statistic ? { Statistic: metric.statistic.toUpperCase() } : { ExtendedStatistic: metric.extendedStatistic }),
      Unit: metric.unit ?? null,
      Dimensions: dimensions(metric.dimensions.map((d) => ({ Name: d.name, Value: d.value }))),
      ...common,
    };
  }
  return {
    ...common,
    Metrics: alarm.queries.map((q) => ({
      Id: q.Id,
      ...(q.Expression ? { Expression: q.Expression } : {}),
      ...(q.Label ? { Label: q.Label } : {}),
      ...(q.MetricStat
        ? {
            MetricStat: {
              Metric: {
                Dimensions: dimensions(q.MetricStat.Metric?.Dimensions ?? []),
                MetricName: q.MetricStat.Metric?.MetricName,
                Namespace: q.MetricStat.Metric?.Namespace,
              },
              Period: q.MetricStat.Period,
              Stat: q.MetricStat.Stat,
            },
          }
        : {}),
      ReturnData: q.ReturnData !== false,
    })),
  };
}
