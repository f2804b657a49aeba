/**
 * The alarm description format: written once by the stack, read by `tidewatch status`, the local
 * cloud's page printer and whoever reads a page.
 *
 *   CRITICAL: <what is wrong, one line>
 *   Queue: <work queue>            (alarms of a work queue only)
 *   Runbook: <url of runbooks/<kind>.md>
 */

export const SEVERITIES = ['critical', 'high', 'warning'] as const;
/** critical and high page at any hour; warning pages too, but can wait for the morning (the runbook says so). */
export type Severity = (typeof SEVERITIES)[number];

export interface AlarmDescription {
  readonly severity?: Severity;
  /** One line of what is wrong. */
  readonly summary: string;
  readonly queue?: string;
  readonly runbookUrl?: string;
}

export function formatAlarmDescription(description: AlarmDescription): string {
  const first = description.severity ? `${description.severity.toUpperCase()}: ${description.summary}` : description.summary;
  return [first, ...(description.queue ? [`Queue: ${description.queue}`] : []), ...(description.runbookUrl ? [`Runbook: ${description.runbookUrl}`] : [])].join('\n');
}

/** Reads a description in the format above; anything else becomes its first line as the summary. */
export function parseAlarmDescription(text: string): AlarmDescription {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const field = (name: string) => lines.map((line) => new RegExp(`^${name}:\\s*(\\S+)`).exec(line)?.[1]).find(Boolean);
  const first = lines.find((line) => line !== '' && !/^(Runbook|Queue|Documentation):/.test(line)) ?? '';
  const [, level, rest] = /^([A-Z]+):\s*(.*)$/.exec(first) ?? [];
  const severity = SEVERITIES.find((known) => known === level?.toLowerCase());
  const queue = field('Queue');
  const runbookUrl = field('Runbook');
  return { summary: severity ? rest! : first, ...(severity ? { severity } : {}), ...(queue ? { queue } : {}), ...(runbookUrl ? { runbookUrl } : {}) };
}

/** The runbook's id (`dead-lettered`) from its URL (`.../runbooks/dead-lettered.md`). */
export function runbookIdOf(runbookUrl: string): string | undefined {
  return /\/([\w-]+)\.md$/.exec(runbookUrl)?.[1];
}
