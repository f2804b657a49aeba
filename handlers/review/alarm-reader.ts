/**
 * The stack's alarms and their state changes, from CloudWatch: DescribeAlarms filtered by the stack's
 * name prefix, and DescribeAlarmHistory's state updates from the start of the period until the report
 * is built (changes after the period tell the state the period ended in), every page followed.
 */
import { paginateDescribeAlarmHistory, paginateDescribeAlarms, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { parseAlarmDescription } from '../../contract/alarm-description';
import { stateChangeOf } from '../../contract/alarm-history';
import { alarmName } from '../../contract/naming';
import type { AlarmState } from './model';

export interface StackAlarm {
  readonly name: string;
  readonly queue?: string;
  readonly severity?: string;
  readonly runbookUrl?: string;
  readonly paging: boolean;
  readonly state: AlarmState;
}

export interface StateChange {
  readonly alarmName: string;
  /** Epoch ms. */
  readonly time: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
}

export interface AlarmReading {
  readonly alarms: readonly StackAlarm[];
  /** Oldest first. */
  readonly changes: readonly StateChange[];
  readonly describeAlarmsCalls: number;
  readonly describeAlarmHistoryCalls: number;
}

const PAGE_SIZE = 100;

export async function readAlarms(cloudWatch: CloudWatchClient, stackName: string, from: Date, until: Date): Promise<AlarmReading> {
  const alarms: StackAlarm[] = [];
  let describeAlarmsCalls = 0;
  // The catalogue names every alarm `<stack>-<id>`: the prefix with its dash keeps `-dev2` out of `-dev`.
  const prefix = alarmName(stackName, '');
  for await (const page of paginateDescribeAlarms({ client: cloudWatch, pageSize: PAGE_SIZE }, { AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })) {
    describeAlarmsCalls += 1;
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      alarms.push({
        name: alarm.AlarmName!,
        ...parseAlarmDescription(alarm.AlarmDescription ?? ''),
        paging: (alarm.AlarmActions ?? []).length > 0,
        state: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState,
      });
    }
  }

  const names = new Set(alarms.map((alarm) => alarm.name));
  const changes: StateChange[] = [];
  let describeAlarmHistoryCalls = 0;
  const history = paginateDescribeAlarmHistory(
    { client: cloudWatch, pageSize: PAGE_SIZE },
    { HistoryItemType: 'StateUpdate', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], StartDate: from, EndDate: until, ScanBy: 'TimestampAscending' },
  );
  // DescribeAlarmHistory has no name-prefix filter: the account's history is read and the stack's kept.
  for await (const page of history) {
    describeAlarmHistoryCalls += 1;
    for (const item of page.AlarmHistoryItems ?? []) {
      if (!item.AlarmName || !names.has(item.AlarmName) || !item.Timestamp) continue;
      const change = stateChangeOf(item.HistoryData, item.HistorySummary);
      if (!change.from || !change.to || change.from === change.to) continue;
      changes.push({ alarmName: item.AlarmName, time: item.Timestamp.getTime(), from: change.from as AlarmState, to: change.to as AlarmState });
    }
  }
  return { alarms, changes, describeAlarmsCalls, describeAlarmHistoryCalls };
}
