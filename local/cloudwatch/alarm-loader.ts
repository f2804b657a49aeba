/**
 * Loads the template's `AWS::CloudWatch::Alarm` and `AWS::CloudWatch::CompositeAlarm` resources into
 * alarm definitions, with every intrinsic resolved by the local cloud's resolver. An alarm using a
 * feature the local CloudWatch does not evaluate fails the load with a message naming the alarm and
 * the feature, rather than being silently skipped.
 */
import type { CfnTemplate } from '../template/model';
import {
  alarmArn,
  COMPARISON_OPERATORS,
  TREAT_MISSING_DATA,
  type AlarmDefinition,
  type CompositeAlarmDefinition,
  type MetricAlarmDefinition,
  type SingleMetric,
} from './alarm-model';
import { parseCompositeRule } from './composite-rule';
import { systemClock } from './clock';
import { MetricStore } from './metric-store';
import { requestPeriod, runMetricQueries, toMetricIdentity, type MetricDataQuery } from './metric-query';
import { parseStatistic } from './statistics';

export type Resolve = (value: unknown) => unknown;

export interface LoadAlarmsOptions {
  readonly template: CfnTemplate;
  /** Resolves intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If, ...) to local values, deeply. */
  readonly resolve: Resolve;
  readonly region: string;
  readonly accountId: string;
}

export class UnsupportedAlarmError extends Error {
  override readonly name = 'UnsupportedAlarmError';
}

type Properties = Record<string, unknown>;

export function loadAlarms(options: LoadAlarmsOptions): AlarmDefinition[] {
  const alarms: AlarmDefinition[] = [];
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(options.template.Resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm') continue;
    try {
      if (resource.Condition && !options.resolve({ 'Fn::If': [resource.Condition, true, false] })) continue;
      const properties = (options.resolve(resource.Properties ?? {}) ?? {}) as Properties;
      alarms.push(
        resource.Type === 'AWS::CloudWatch::Alarm'
          ? metricAlarm(logicalId, properties, options)
          : compositeAlarm(logicalId, properties, options),
      );
    } catch (error) {
      problems.push(`${logicalId}: ${(error as Error).message}`);
    }
  }
  problems.push(...crossCheck(alarms));
  if (problems.length > 0) {
    throw new UnsupportedAlarmError(`The local CloudWatch cannot evaluate these alarms:\n- ${problems.join('\n- ')}`);
  }
  return alarms;
}

function common(logicalId: string, p: Properties, options: LoadAlarmsOptions) {
  const name = typeof p.AlarmName === 'string' ? p.AlarmName : physicalName(logicalId, options.resolve);
  return {
    logicalId,
    name,
    arn: alarmArn(options.region, options.accountId, name),
    description: optionalString(p.AlarmDescription, 'AlarmDescription'),
    actionsEnabled: p.ActionsEnabled === undefined ? true : p.ActionsEnabled === true || p.ActionsEnabled === 'true',
    alarmActions: stringList(p.AlarmActions, 'AlarmActions'),
    okActions: stringList(p.OKActions, 'OKActions'),
    insufficientDataActions: stringList(p.InsufficientDataActions, 'InsufficientDataActions'),
  };
}

function metricAlarm(logicalId: string, p: Properties, options: LoadAlarmsOptions): MetricAlarmDefinition {
  for (const feature of ['ThresholdMetricId', 'EvaluationCriteria']) {
    if (p[feature] !== undefined) throw new Error(`${feature} is not supported`);
  }
  const comparisonOperator = oneOf(p.ComparisonOperator, COMPARISON_OPERATORS, 'ComparisonOperator');
  const treatMissingData = oneOf(p.TreatMissingData ?? 'missing', TREAT_MISSING_DATA, 'TreatMissingData');
  const evaluationPeriods = positiveInteger(p.EvaluationPeriods, 'EvaluationPeriods');
  const datapointsToAlarm = p.DatapointsToAlarm === undefined ? evaluationPeriods : positiveInteger(p.DatapointsToAlarm, 'DatapointsToAlarm');
  if (datapointsToAlarm > evaluationPeriods) throw new Error('DatapointsToAlarm must not exceed EvaluationPeriods');
  const threshold = Number(p.Threshold);
  if (p.Threshold === undefined || !Number.isFinite(threshold)) throw new Error('Threshold must be a number');

  const { metric, queries, period } = p.Metrics !== undefined ? mathQueries(p) : singleMetricQueries(p);
  if (period !== 10 && period !== 30 && period % 60 !== 0) throw new Error(`an alarm Period must be 10, 30 or a multiple of 60 (got ${period})`);
  if (queries.filter((q) => q.ReturnData !== false).length !== 1) throw new Error('exactly one of Metrics must have ReturnData true');
  // A dry run over an empty store surfaces bad expressions, ids and statistics at load, not at 3 a.m.
  runMetricQueries(new MetricStore({ clock: systemClock }), queries, { start: 0, periodSeconds: period, count: 1 });

  return {
    ...common(logicalId, p, options),
    type: 'MetricAlarm',
    metric,
    metrics: p.Metrics !== undefined ? queries : undefined,
    queries,
    period,
    evaluationPeriods,
    datapointsToAlarm,
    threshold,
    comparisonOperator,
    treatMissingData,
    evaluateLowSampleCountPercentile: optionalString(p.EvaluateLowSampleCountPercentile, 'EvaluateLowSampleCountPercentile'),
  };
}

function singleMetricQueries(p: Properties): { metric: SingleMetric; queries: MetricDataQuery[]; period: number } {
  const statistic = optionalString(p.Statistic, 'Statistic');
  const extendedStatistic = optionalString(p.ExtendedStatistic, 'ExtendedStatistic');
  if (Boolean(statistic) === Boolean(extendedStatistic)) throw new Error('exactly one of Statistic and ExtendedStatistic is required');
  parseStatistic((statistic ?? extendedStatistic)!);
  const apiMetric = {
    Namespace: p.Namespace as string,
    MetricName: p.MetricName as string,
    Dimensions: (p.Dimensions ?? []) as Array<{ Name: string; Value: string }>,
  };
  const identity = toMetricIdentity(apiMetric, 'alarm metric');
  const period = positiveInteger(p.Period, 'Period');
  const unit = optionalString(p.Unit, 'Unit');
  return {
    metric: { ...identity, statistic, extendedStatistic, unit },
    queries: [{ Id: 'm1', MetricStat: { Metric: apiMetric, Period: period, Stat: (statistic ?? extendedStatistic)!, Unit: unit }, ReturnData: true }],
    period,
  };
}

function mathQueries(p: Properties): { metric: undefined; queries: MetricDataQuery[]; period: number } {
  if (!Array.isArray(p.Metrics)) throw new Error('Metrics must be a list');
  const queries = (p.Metrics as Properties[]).map((query) => {
    if (query.AccountId !== undefined) throw new Error('cross-account metrics (AccountId) are not supported');
    return {
      ...query,
      Period: query.Period === undefined ? undefined : Number(query.Period),
      MetricStat: query.MetricStat
        ? { ...(query.MetricStat as Properties), Period: Number((query.MetricStat as Properties).Period) }
        : undefined,
    } as MetricDataQuery;
  });
  return { metric: undefined, queries, period: requestPeriod(queries) };
}

function compositeAlarm(logicalId: string, p: Properties, options: LoadAlarmsOptions): CompositeAlarmDefinition {
  for (const feature of ['ActionsSuppressor', 'ActionsSuppressorWaitPeriod', 'ActionsSuppressorExtensionPeriod']) {
    if (p[feature] !== undefined) throw new Error(`${feature} is not supported`);
  }
  if (typeof p.AlarmRule !== 'string') throw new Error('AlarmRule must resolve to a string');
  parseCompositeRule(p.AlarmRule);
  return { ...common(logicalId, p, options), type: 'CompositeAlarm', alarmRule: p.AlarmRule };
}

/** Every alarm a composite rule names must exist, and names must be unique. */
function crossCheck(alarms: readonly AlarmDefinition[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const alarm of alarms) {
    if (names.has(alarm.name)) problems.push(`${alarm.logicalId}: the alarm name ${alarm.name} is used twice`);
    names.add(alarm.name);
  }
  for (const alarm of alarms) {
    if (alarm.type !== 'CompositeAlarm') continue;
    for (const reference of parseCompositeRule(alarm.alarmRule).references) {
      if (!alarms.some((a) => a.arn === reference || a.name === reference)) {
        problems.push(`${alarm.logicalId}: AlarmRule references ${reference}, which is not an alarm of the template`);
      }
    }
  }
  return problems;
}

/** The resolver's physical name for the alarm (`Ref` of an alarm is its name), else the logical id. */
function physicalName(logicalId: string, resolve: Resolve): string {
  try {
    const name = resolve({ Ref: logicalId });
    if (typeof name === 'string' && name.length > 0) return name;
  } catch {
    // A resolver without alarm names: the logical id is unique and readable.
  }
  return logicalId;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name} ${String(value)} is not supported (supported: ${allowed.join(', ')})`);
}

function positiveInteger(value: unknown, name: string): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number <= 0) throw new Error(`${name} must be a positive integer`);
  return number;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`${name} must resolve to a string`);
  return value;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${name} must resolve to a list of strings`);
  return value;
}
