/**
 * The human and machine reasons of a metric alarm's state, worded and shaped like CloudWatch's
 * `StateReason` and `StateReasonData`.
 */
import type { EvaluationOutcome } from './alarm-evaluation';
import type { ComparisonOperator, MetricAlarmDefinition } from './alarm-model';

/** CloudWatch's timestamp format in reason data, history and notifications: `2026-11-23T19:03:20.000+0000`. */
export function awsTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

const PHRASES: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export interface StateReason {
  readonly reason: string;
  readonly reasonData: string;
}

/** @param slotTime start (epoch ms) of the period of slot `index` of the evaluation range */
export function metricAlarmReason(
  alarm: MetricAlarmDefinition,
  outcome: EvaluationOutcome,
  slotTime: (index: number) => number,
  queryDate: number,
  rangeStart: number,
): StateReason {
  const real = outcome.evaluated.filter((d) => d.value !== undefined);
  const points = real.map((d) => `${number(d.value!)} (${reasonDate(slotTime(d.index))})`).join(', ');
  const n = alarm.evaluationPeriods;
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  let reason: string;
  if (outcome.state === 'INSUFFICIENT_DATA') {
    reason =
      real.length === 0
        ? `Insufficient Data: no datapoints were received for ${plural(n, 'period')}.`
        : `Insufficient Data: ${plural(real.length, 'datapoint')} [${points}] ${real.length === 1 ? 'was' : 'were'} not enough to evaluate.`;
  } else {
    const phrase = PHRASES[alarm.comparisonOperator];
    const matching = outcome.state === 'ALARM' ? outcome.breachingCount : outcome.evaluated.length - outcome.breachingCount;
    const verb = outcome.state === 'ALARM' ? phrase : `not ${phrase}`;
    const filled =
      outcome.filledCount > 0
        ? ` and ${plural(outcome.filledCount, 'missing datapoint')} ${outcome.filledCount === 1 ? 'was' : 'were'} treated as [${alarm.treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching'}]`
        : '';
    reason =
      real.length === 0
        ? `Threshold Crossed: no datapoints were received for ${plural(outcome.filledCount, 'period')}${filled}.`
        : `Threshold Crossed: ${matching} out of the last ${outcome.evaluated.length} datapoints [${points}] ${matching === 1 ? 'was' : 'were'} ${verb} the threshold (${number(alarm.threshold)})${filled} (minimum ${plural(alarm.datapointsToAlarm, 'datapoint')} for ${outcome.state === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK'} transition).`;
  }
  const reasonData = {
    version: '1.0',
    queryDate: awsTimestamp(queryDate),
    startDate: awsTimestamp(rangeStart),
    ...(alarm.metric ? { statistic: alarm.metric.statistic ?? alarm.metric.extendedStatistic, unit: alarm.metric.unit } : {}),
    period: alarm.period,
    recentDatapoints: real.map((d) => d.value),
    threshold: alarm.threshold,
    evaluatedDatapoints: real.map((d) => ({ timestamp: awsTimestamp(slotTime(d.index)), value: d.value })),
  };
  return { reason, reasonData: JSON.stringify(reasonData) };
}

/** Like CloudWatch (Java doubles): `1.0`, `0.25`. */
function number(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** `23/11/26 19:03:10`, the datapoint format of CloudWatch reasons (UTC). */
function reasonDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
