/**
 * Alarm history, as DescribeAlarmHistory answers it: state updates and action outcomes, newest
 * first by default, kept for CloudWatch's 30 days and bounded in count.
 */
import type { Clock } from './clock';

export type HistoryItemType = 'StateUpdate' | 'Action' | 'ConfigurationUpdate';
export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';

export interface HistoryItem {
  readonly alarmName: string;
  readonly alarmType: AlarmType;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly historyItemType: HistoryItemType;
  readonly historySummary: string;
  /** JSON, as AWS's `HistoryData`. */
  readonly historyData: string;
}

export interface HistoryQuery {
  readonly alarmName?: string;
  readonly alarmTypes?: readonly AlarmType[];
  readonly historyItemType?: HistoryItemType;
  /** Inclusive, epoch ms. */
  readonly startDate?: number;
  /** Inclusive, epoch ms. */
  readonly endDate?: number;
  /** @default 'TimestampDescending' */
  readonly scanBy?: 'TimestampDescending' | 'TimestampAscending';
}

export const HISTORY_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Where history items are written as they are added, and read back at start. */
export interface HistoryJournal {
  /** Every item written and not pruned, in the order written. */
  load(): HistoryItem[];
  append(item: HistoryItem): void;
  /** Drops the items older than `before` (epoch ms) and all but the newest `keep`. */
  prune(before: number, keep: number): void;
}

export class AlarmHistory {
  private readonly items: HistoryItem[];

  constructor(
    private readonly clock: Clock,
    /** @default 10_000 */
    private readonly maxItems = 10_000,
    /** Keeps the history across restarts (`--keep`); in memory only when undefined. */
    private readonly journal?: HistoryJournal,
  ) {
    this.items = journal?.load() ?? [];
  }

  add(item: HistoryItem): void {
    this.items.push(item);
    this.journal?.append(item);
    const cutoff = this.clock.now() - HISTORY_RETENTION_MS;
    while (this.items.length > this.maxItems || (this.items.length > 0 && this.items[0].timestamp < cutoff)) this.items.shift();
    this.journal?.prune(cutoff, this.maxItems);
  }

  query(query: HistoryQuery = {}): HistoryItem[] {
    const matches = this.items.filter(
      (item) =>
        (query.alarmName === undefined || item.alarmName === query.alarmName) &&
        (query.alarmTypes === undefined || query.alarmTypes.length === 0 || query.alarmTypes.includes(item.alarmType)) &&
        (query.historyItemType === undefined || item.historyItemType === query.historyItemType) &&
        (query.startDate === undefined || item.timestamp >= query.startDate) &&
        (query.endDate === undefined || item.timestamp <= query.endDate),
    );
    // Stable sort: items of the same millisecond keep the order they happened in.
    const ascending = [...matches].sort((a, b) => a.timestamp - b.timestamp);
    return query.scanBy === 'TimestampAscending' ? ascending : ascending.reverse();
  }
}
