/**
 * How Tidewatch names what it deploys, so the stack, the CLI, the runbooks and the local cloud derive
 * every name the same way.
 */

/** The stage when none is configured. */
export const DEFAULT_STAGE = 'dev';

/** A stage: part of the stack name and of every metric's dimensions. */
export const STAGE_PATTERN = /^[a-z0-9][a-z0-9-]{0,19}$/i;

/**
 * A work queue's name: one short lowercase word, so every name derived from it (alarm names, output
 * keys, CloudFormation ids, metric dimensions) stays within its limit and its character set.
 */
export const WORK_QUEUE_NAME_PATTERN = /^[a-z][a-z0-9]{0,19}$/;

/** `Tidewatch-<stage>`. */
export function stackName(stage: string): string {
  return `Tidewatch-${stage}`;
}

/** `<stack name>-<alarm id>`: the id stays readable in pages, the console and `tidewatch status`. */
export function alarmName(stack: string, alarmId: string): string {
  return `${stack}-${alarmId}`;
}

/** A work queue's alarm of one kind: `<queue>-<kind>`, e.g. `jobs-dead-lettered`. */
export function queueAlarmId(queue: string, kind: string): string {
  return `${queue}-${kind}`;
}

/** The on-call dashboard's name. */
export function dashboardName(stack: string): string {
  return `${stack}-on-call`;
}

/** `files` → `Files`: the queue's name where a capitalised word is wanted (output keys, construct ids, titles). */
export function titleOf(queue: string): string {
  return queue.charAt(0).toUpperCase() + queue.slice(1);
}
