/**
 * The alarm actions of the CloudWatch API: DescribeAlarms, DescribeAlarmHistory and SetAlarmState,
 * answered from the alarm engine and history in CloudWatch's shapes.
 */
import type { AlarmEngine } from '../alarm-engine';
import type { AlarmHistory, AlarmType, HistoryItemType } from '../alarm-history';
import { ALARM_STATES, type AlarmDefinition, type AlarmState } from '../alarm-model';
import { CloudWatchError, invalidParameterCombination, invalidParameterValue, resourceNotFound, unsupported } from '../errors';
import {
  oneOfParameter,
  optionalInteger,
  optionalList,
  optionalString,
  paginate,
  requiredString,
  timestampParameter,
  toWireTimestamp,
  type Input,
} from './wire';

export interface AlarmActionsDeps {
  readonly engine: AlarmEngine;
  readonly history: AlarmHistory;
}

const ALARM_TYPES: readonly AlarmType[] = ['MetricAlarm', 'CompositeAlarm'];
const HISTORY_ITEM_TYPES: readonly HistoryItemType[] = ['StateUpdate', 'Action', 'ConfigurationUpdate'];

export function alarmActions({ engine, history }: AlarmActionsDeps) {
  return {
    DescribeAlarms(input: Input) {
      for (const parameter of ['ChildrenOfAlarmName', 'ParentsOfAlarmName']) {
        if (input[parameter] !== undefined) throw unsupported(`the DescribeAlarms parameter ${parameter}`);
      }
      const names = optionalList<string>(input, 'AlarmNames');
      const prefix = optionalString(input, 'AlarmNamePrefix');
      if (names && prefix !== undefined) throw invalidParameterCombination('AlarmNames and AlarmNamePrefix cannot be used together.');
      const types = alarmTypes(input);
      const state = oneOfParameter(input, 'StateValue', ALARM_STATES);
      const actionPrefix = optionalString(input, 'ActionPrefix');
      const matches = [...engine.alarms]
        .filter(
          (alarm) =>
            types.includes(alarm.type) &&
            (!names || names.includes(alarm.name)) &&
            (prefix === undefined || alarm.name.startsWith(prefix)) &&
            (state === undefined || engine.status(alarm).value === state) &&
            (actionPrefix === undefined ||
              [...alarm.alarmActions, ...alarm.okActions, ...alarm.insufficientDataActions].some((a) => a.startsWith(actionPrefix))),
        )
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const pageSize = optionalInteger(input, 'MaxRecords', 1, 100) ?? 50;
      const { page, nextToken } = paginate(matches, optionalString(input, 'NextToken'), pageSize);
      return {
        MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map((a) => describeAlarm(engine, a)),
        CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map((a) => describeAlarm(engine, a)),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },

    DescribeAlarmHistory(input: Input) {
      const items = history.query({
        alarmName: optionalString(input, 'AlarmName'),
        alarmTypes: alarmTypes(input),
        historyItemType: oneOfParameter(input, 'HistoryItemType', HISTORY_ITEM_TYPES),
        startDate: timestampParameter(input, 'StartDate'),
        endDate: timestampParameter(input, 'EndDate'),
        scanBy: oneOfParameter(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending']),
      });
      const pageSize = optionalInteger(input, 'MaxRecords', 1, 100) ?? 100;
      const { page, nextToken } = paginate(items, optionalString(input, 'NextToken'), pageSize);
      return {
        AlarmHistoryItems: page.map((item) => ({
          AlarmName: item.alarmName,
          AlarmType: item.alarmType,
          Timestamp: toWireTimestamp(item.timestamp),
          HistoryItemType: item.historyItemType,
          HistorySummary: item.historySummary,
          HistoryData: item.historyData,
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },

    async SetAlarmState(input: Input): Promise<Record<string, never>> {
      const name = requiredString(input, 'AlarmName');
      const value = oneOfParameter(input, 'StateValue', ALARM_STATES) ?? requiredString(input, 'StateValue');
      const reason = requiredString(input, 'StateReason');
      const reasonData = optionalString(input, 'StateReasonData');
      if (reasonData !== undefined) {
        try {
          JSON.parse(reasonData);
        } catch {
          throw new CloudWatchError('InvalidFormatFault', 'StateReasonData must be valid JSON.', 'InvalidFormat');
        }
      }
      const alarm = engine.find(name);
      if (!alarm || alarm.arn === name) throw resourceNotFound(`Alarm ${name} not found`);
      await engine.setAlarmState(alarm, value as AlarmState, reason, reasonData);
      return {};
    },
  };
}

/** Both DescribeAlarms and DescribeAlarmHistory answer metric alarms only unless AlarmTypes says otherwise. */
function alarmTypes(input: Input): readonly AlarmType[] {
  const types = optionalList<string>(input, 'AlarmTypes');
  if (!types || types.length === 0) return ['MetricAlarm'];
  for (const type of types) {
    if (!(ALARM_TYPES as readonly string[]).includes(type)) {
      throw invalidParameterValue(`AlarmTypes must be MetricAlarm or CompositeAlarm (got ${type}).`);
    }
  }
  return types as AlarmType[];
}

function describeAlarm(engine: AlarmEngine, alarm: AlarmDefinition): Record<string, unknown> {
  const status = engine.status(alarm);
  const common = {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmDescription: alarm.description,
    AlarmConfigurationUpdatedTimestamp: toWireTimestamp(engine.alarmConfigurationUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    StateValue: status.value,
    StateReason: status.reason,
    StateReasonData: status.reasonData,
    StateUpdatedTimestamp: toWireTimestamp(status.updatedAt),
    StateTransitionedTimestamp: toWireTimestamp(status.transitionedAt),
  };
  if (alarm.type === 'CompositeAlarm') return { ...common, AlarmRule: alarm.alarmRule };
  const metric = alarm.metric;
  return {
    ...common,
    ...(metric
      ? {
          MetricName: metric.metricName,
          Namespace: metric.namespace,
          Statistic: metric.statistic,
          ExtendedStatistic: metric.extendedStatistic,
          Dimensions: metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
          Unit: metric.unit,
        }
      : { Metrics: alarm.metrics }),
    Period: metric ? alarm.period : undefined,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
  };
}
