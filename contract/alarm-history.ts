/**
 * A CloudWatch alarm history item's state change: read by `tidewatch status` (recent pages) and the
 * weekly review (time in alarm, recoveries, flapping).
 */

export interface StateChangeData {
  readonly from?: string;
  readonly to?: string;
  readonly reason?: string;
}

/** From and to states from the item's HistoryData JSON, else from its summary ("Alarm updated from OK to ALARM"). */
export function stateChangeOf(historyData: string | undefined, summary: string | undefined): StateChangeData {
  try {
    const data = JSON.parse(historyData ?? '') as { oldState?: { stateValue?: string }; newState?: { stateValue?: string; stateReason?: string } };
    return { from: data.oldState?.stateValue, to: data.newState?.stateValue, reason: data.newState?.stateReason };
  } catch {
    const match = /from (\w+) to (\w+)/.exec(summary ?? '');
    return { from: match?.[1], to: match?.[2], reason: summary };
  }
}
