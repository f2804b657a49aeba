/**
 * The runbooks under `runbooks/`: one per alarm kind, written for any work queue, and the procedures the
 * alarm runbooks point to. The alarm catalogue links a kind's runbook from every alarm of that kind; the
 * tests prove that `runbooks/` holds exactly these files.
 */

/**
 * The alarm kinds every work queue gets: alarm id `<queue>-<kind>` (contract/naming.ts `queueAlarmId`),
 * runbook `runbooks/<kind>.md`. The burn-rate kinds are composites over window alarms `<id>-1h`, `-5m`,
 * `-6h` and `-30m`, which page only through them.
 */
export const WORK_QUEUE_ALARM_KINDS = [
  'dead-lettered',
  'dlq-not-empty',
  'queue-age',
  'stall',
  'worker-errors',
  'worker-throttles',
  'worker-duration',
  'success-slo-burn',
  'freshness-slo-burn',
] as const;
export type WorkQueueAlarmKind = (typeof WORK_QUEUE_ALARM_KINDS)[number];

/** The alarms that belong to no work queue: the alarm id is the kind, its runbook `runbooks/<kind>.md`. */
export const API_ALARM_KINDS = ['api-5xx'] as const;
export type ApiAlarmKind = (typeof API_ALARM_KINDS)[number];

export type AlarmKind = WorkQueueAlarmKind | ApiAlarmKind;

/** Every alarm kind, each with its runbook. */
export const ALARM_KINDS: readonly AlarmKind[] = [...WORK_QUEUE_ALARM_KINDS, ...API_ALARM_KINDS];

/**
 * Runbooks no alarm links: procedures that several alarm runbooks' Mitigate steps follow, written once.
 * `redrive`: put a queue's dead letters back to work (after a fix), or archive what can never succeed, through
 * the redrive function (`tidewatch redrive`, `tidewatch dlq archive`, the dashboard's dead-letter widget).
 */
export const PROCEDURE_RUNBOOKS = ['redrive'] as const;
export type ProcedureRunbook = (typeof PROCEDURE_RUNBOOKS)[number];

export type RunbookId = AlarmKind | ProcedureRunbook;

/** Every file of `runbooks/` that is a runbook, by id (`runbooks/<id>.md`). */
export const RUNBOOK_IDS: readonly RunbookId[] = [...ALARM_KINDS, ...PROCEDURE_RUNBOOKS];

export function isWorkQueueAlarmKind(id: string): id is WorkQueueAlarmKind {
  return (WORK_QUEUE_ALARM_KINDS as readonly string[]).includes(id);
}

export function isAlarmKind(id: string): id is AlarmKind {
  return (ALARM_KINDS as readonly string[]).includes(id);
}

/** `redrive` → `redrive.md`: the runbook's file under `runbooks/` and the last part of its published URL. */
export function runbookFileName(id: RunbookId): string {
  return `${id}.md`;
}
