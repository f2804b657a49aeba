/**
 * Suggested actions from plain rules over the report's figures: each rule names itself, so a reader can
 * tell why it was suggested. Most pressing first.
 */
import type { AlarmsReview, QueueReview, SuggestedAction } from './model';

/** Dead letters this old are near the DLQ's retention: redrive or archive them before they expire. */
export const DLQ_AGE_WARNING_DAYS = 10;
/** A p99 duration above this share of the timeout is close to timing out. */
const DURATION_SHARE_WARNING_PERCENT = 80;
/** Four weeks (this and the three before) without firing. */
const SILENT_WEEKS = 4;

export interface ActionsInput {
  readonly queues: readonly QueueReview[];
  readonly alarms: AlarmsReview;
  readonly missingData: readonly string[];
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

export function suggestedActions({ queues, alarms, missingData }: ActionsInput): SuggestedAction[] {
  const actions: SuggestedAction[] = [];
  const add = (rule: string, severity: SuggestedAction['severity'], text: string) => actions.push({ rule, severity, text });
  for (const queue of queues) {
    const dlq = queue.deadLetterQueue;
    if (dlq.oldestAgeSecondsAtEnd !== null && dlq.oldestExpiresInDays !== null && dlq.oldestAgeSecondsAtEnd >= DLQ_AGE_WARNING_DAYS * 86_400) {
      add(
        'dlq-expiring',
        'high',
        `${queue.name}: dead letters older than ${DLQ_AGE_WARNING_DAYS} days expire in ${Math.max(0, dlq.oldestExpiresInDays).toFixed(1)} days (retention ${dlq.retentionDays} days): redrive or archive them (runbooks/redrive-dead-letters.md).`,
      );
    } else if (dlq.depthAtEnd) {
      add('dlq-waiting', 'medium', `${queue.name}: ${dlq.depthAtEnd} dead letter(s) wait in the DLQ: fix the cause, then redrive or archive them.`);
    }
    if (queue.success.budgetUsedPercent !== null && queue.success.budgetUsedPercent >= 100) {
      add('success-slo-missed', 'high', `${queue.name}: the success SLO was missed (${queue.success.budgetUsedPercent.toFixed(0)}% of the period's error budget used): review the top failure reasons.`);
    } else if (queue.success.budgetUsedPercent !== null && queue.success.budgetUsedPercent >= 50) {
      add('success-budget-burning', 'medium', `${queue.name}: ${queue.success.budgetUsedPercent.toFixed(0)}% of the period's error budget used.`);
    }
    if (queue.freshness.budgetUsedPercent !== null && queue.freshness.budgetUsedPercent >= 100) {
      add('freshness-slo-missed', 'high', `${queue.name}: the freshness SLO was missed (${queue.freshness.withinTargetPercent!.toFixed(2)}% of items within target): look at queue age and worker duration.`);
    }
    const share = queue.function.durationP99ShareOfTimeoutPercent;
    if (share !== null && share >= DURATION_SHARE_WARNING_PERCENT) {
      add('duration-near-timeout', 'medium', `${queue.name}: the worker's p99 duration is ${share.toFixed(0)}% of its timeout: raise the timeout or make the work faster.`);
    }
  }
  for (const alarm of alarms.notable) {
    if (alarm.stateAtEnd === 'ALARM') {
      const since = alarm.inAlarmSince ? `since ${alarm.inAlarmSince}` : 'since before the period began';
      add('never-cleared', 'high', `${alarm.name} has been in ALARM ${since} and did not clear: fix the cause or the alarm.`);
    }
    if (alarm.flappingDays > 0) {
      add(
        'flapping',
        'medium',
        `${alarm.name} flapped on ${alarm.flappingDays} day(s), up to ${alarm.mostTransitionsInADay} changes a day (${alarm.fired} firing(s) in all): it needs a new threshold or period.`,
      );
    }
  }
  if (alarms.silent.weeksCovered >= SILENT_WEEKS && alarms.silent.names.length > 0) {
    add('silent-alarms', 'low', `${alarms.silent.names.length} alarm(s) never fired in four weeks and may be dead (check that their metrics still arrive): ${alarms.silent.names.join(', ')}.`);
  }
  for (const missing of missingData) add('missing-metric', 'low', `No data for ${missing}: check that it is still emitted.`);
  return actions.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
