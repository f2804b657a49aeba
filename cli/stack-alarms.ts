/**
 * The stack's alarms as CloudWatch describes them, with what an on-call needs from each: the one line
 * of what is wrong, the severity and the runbook link (parsed from the alarm description the alarm
 * catalogue writes), and the recent state changes of the alarms that page.
 */
import {
  paginateDescribeAlarmHistory,
  paginateDescribeAlarms,
  type CloudWatchClient,
  type CompositeAlarm,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { parseAlarmDescription, SEVERITIES, type Severity } from '../contract/alarm-description';
import { stateChangeOf } from '../contract/alarm-history';


export interface StackAlarm {
  readonly name: string;
  readonly state: string;
  /** The description's first line: what is wrong when it fires. */
  readonly summary: string;
  readonly severity?: Severity;
  /** The work queue it watches, from its description; none for the API's alarms. */
  readonly queue?: string;
  readonly runbookUrl?: string;
  readonly stateReason?: string;
  /** When it entered its current state. */
  readonly since?: Date;
  /** Whether it notifies anyone: burn-rate window alarms only feed their composite, which pages. */
  readonly pages: boolean;
}

/**
 * The catalogue names every alarm `<stack name>-<alarm id>`, so the stack's alarms are those under
 * that prefix: one server-side filtered call, where matching the template's alarm ARNs would need a
 * CloudFormation call per stack resource page. The trailing dash keeps `Tidewatch-dev` from matching
 * `Tidewatch-dev2`'s alarms.
 */
export function alarmNamePrefix(stackName: string): string {
  return `${stackName}-`;
}

export async function stackAlarms(cloudWatch: CloudWatchClient, stackName: string): Promise<StackAlarm[]> {
  const alarms: StackAlarm[] = [];
  const pages = paginateDescribeAlarms(
    { client: cloudWatch },
    { AlarmNamePrefix: alarmNamePrefix(stackName), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 },
  );
  for await (const page of pages) {
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) alarms.push(toStackAlarm(alarm));
  }
  return alarms;
}

function toStackAlarm(alarm: MetricAlarm | CompositeAlarm): StackAlarm {
  const name = alarm.AlarmName ?? '(unnamed)';
  return {
    name,
    state: alarm.StateValue ?? 'UNKNOWN',
    ...parseAlarmDescription(alarm.AlarmDescription ?? ''),
    stateReason: alarm.StateReason,
    since: alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp,
    pages: (alarm.AlarmActions ?? []).length > 0,
  };
}

/** Critical first, unknown severity last; within a severity, the one firing longest first. */
export function bySeverityThenAge(a: StackAlarm, b: StackAlarm): number {
  const rank = (alarm: StackAlarm) => (alarm.severity ? SEVERITIES.indexOf(alarm.severity) : SEVERITIES.length);
  return rank(a) - rank(b) || (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0) || a.name.localeCompare(b.name);
}

export interface AlarmStateChange {
  readonly time: Date;
  readonly alarmName: string;
  readonly from?: string;
  readonly to?: string;
  readonly reason?: string;
}

export interface RecentPagesOptions {
  readonly now: Date;
  /** @default 24 */
  readonly hours?: number;
  /** @default 10 */
  readonly max?: number;
}

/**
 * DescribeAlarmHistory has no name-prefix filter: the account's history is read newest first and
 * filtered here. Bounded, so an account with thousands of noisy alarms cannot make `status` crawl.
 */
const MAX_HISTORY_PAGES = 20;

/**
 * The pages the on-call got, newest first: the paging alarms' changes into ALARM, and out of it (the
 * recovery notice). Changes between OK and INSUFFICIENT_DATA (every alarm after a deploy, say) are not
 * pages anyone acted on, so they are left out.
 */
export async function recentPages(cloudWatch: CloudWatchClient, alarms: readonly StackAlarm[], options: RecentPagesOptions): Promise<AlarmStateChange[]> {
  const paging = new Set(alarms.filter((alarm) => alarm.pages).map((alarm) => alarm.name));
  const max = options.max ?? 10;
  const changes: AlarmStateChange[] = [];
  if (paging.size === 0) return changes;
  const history = paginateDescribeAlarmHistory(
    { client: cloudWatch, pageSize: 100 },
    {
      HistoryItemType: 'StateUpdate',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      StartDate: new Date(options.now.getTime() - (options.hours ?? 24) * 3600 * 1000),
      EndDate: options.now,
      ScanBy: 'TimestampDescending',
    },
  );
  let pages = 0;
  for await (const page of history) {
    for (const item of page.AlarmHistoryItems ?? []) {
      if (!item.AlarmName || !paging.has(item.AlarmName) || !item.Timestamp) continue;
      const change = stateChangeOf(item.HistoryData, item.HistorySummary);
      if (change.from !== 'ALARM' && change.to !== 'ALARM') continue;
      changes.push({ time: item.Timestamp, alarmName: item.AlarmName, ...change });
      if (changes.length >= max) return changes;
    }
    if (++pages >= MAX_HISTORY_PAGES) break;
  }
  return changes;
}
