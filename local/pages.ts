/**
 * How `npm start` shows a page: the alarm, its new state, CloudWatch's reason and the runbook line of
 * the alarm's description, so that an on-call rehearsing an incident sees what AWS would have sent.
 */
import { parseAlarmDescription } from '../contract/alarm-description';
import type { PageEvent } from './cloudwatch';

export interface PageFormatOptions {
  /** ANSI colours (red ALARM, green OK; the PAGE banner reversed, in the state's colour). @default false */
  readonly colour?: boolean;
}

const STATE_COLOURS: Record<string, number> = { ALARM: 31, OK: 32, INSUFFICIENT_DATA: 33 };

/**
 * The OK notification every alarm sends when it is first evaluated on a quiet cloud (INSUFFICIENT_DATA →
 * OK): startup noise, not a page worth reading.
 */
export function isFirstEvaluationOk(page: { readonly oldState: string; readonly newState: string }): boolean {
  return page.oldState === 'INSUFFICIENT_DATA' && page.newState === 'OK';
}

/** The lines printed for one page, or `undefined` for a first-evaluation OK that was delivered. */
export function formatPage(event: PageEvent, options: PageFormatOptions = {}): string | undefined {
  if (isFirstEvaluationOk(event) && !event.error) return undefined;
  const paint = (text: string, code: number | string | undefined) => (options.colour && code ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = new Date(event.timestamp).toISOString().slice(11, 19);
  const stateColour = STATE_COLOURS[event.newState];
  const state = paint(event.newState, stateColour);
  // Bold and reversed: a page stands out among the function output around it.
  const banner = paint('PAGE', stateColour ? `1;7;${stateColour}` : 1);
  const { summary, runbook } = describe(event.message);
  const lines = [
    `${banner} ${time} ${state} ${event.alarmName} (was ${event.oldState})`,
    ...(summary ? [summary] : []),
    event.reason,
    runbook ?? 'Runbook: (none in the alarm description)',
    ...(event.error ? [paint(`NOT DELIVERED to ${event.action}: ${event.error}`, 31)] : []),
  ];
  return `${lines.map((line, index) => (index === 0 ? line : `     ${line}`)).join('\n')}\n`;
}

/** The description's summary and its `Runbook:` line, from CloudWatch's JSON message. */
function describe(message: string): { summary?: string; runbook?: string } {
  let description: unknown;
  try {
    description = (JSON.parse(message) as { AlarmDescription?: unknown }).AlarmDescription;
  } catch {
    return {};
  }
  if (typeof description !== 'string') return {};
  const { severity, summary, runbookUrl } = parseAlarmDescription(description);
  const line = severity ? `${severity.toUpperCase()}: ${summary}` : summary;
  return { summary: line || undefined, runbook: runbookUrl ? `Runbook: ${runbookUrl}` : undefined };
}
