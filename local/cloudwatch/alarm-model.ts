/**
 * Alarm definitions as loaded from the template, and their live state.
 */
import type { Dimension } from './model';
import type { MetricDataQuery } from './metric-query';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

interface AlarmCommon {
  /** The template's logical id. */
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  /** @default true */
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

/** The single metric of a classic alarm, kept to answer DescribeAlarms and the SNS `Trigger` as AWS does. */
export interface SingleMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly unit?: string;
}

export interface MetricAlarmDefinition extends AlarmCommon {
  readonly type: 'MetricAlarm';
  /** Set for a classic single-metric alarm. */
  readonly metric?: SingleMetric;
  /** The `Metrics` of a metric-math alarm, as templated. */
  readonly metrics?: readonly MetricDataQuery[];
  /** What is evaluated: `metrics`, or the single metric as one MetricStat query `m1`. */
  readonly queries: readonly MetricDataQuery[];
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  readonly evaluateLowSampleCountPercentile?: string;
}

export interface CompositeAlarmDefinition extends AlarmCommon {
  readonly type: 'CompositeAlarm';
  readonly alarmRule: string;
}

export type AlarmDefinition = MetricAlarmDefinition | CompositeAlarmDefinition;

/** An alarm's live state, as DescribeAlarms answers it. */
export interface AlarmStatus {
  readonly value: AlarmState;
  readonly reason: string;
  /** JSON, as AWS's `StateReasonData`. */
  readonly reasonData?: string;
  /** When the state (or its reason) was last set, epoch ms. */
  readonly updatedAt: number;
  /** When the state value last changed, epoch ms. */
  readonly transitionedAt: number;
}

export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}
