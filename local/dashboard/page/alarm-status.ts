/**
 * The alarm status widget: each alarm the body lists, its state and since when, sorted as the body
 * says (`default`: ALARM first, then INSUFFICIENT_DATA, then OK, newest change first within a state;
 * `stateUpdatedTimestamp` and `timestamp`: newest change first), filtered by `states` when given.
 */
import escapeHtml from 'escape-html';
import type { AlarmWidgetProperties } from './body';

/** An alarm as the dashboard's server reads it from DescribeAlarms. */
export interface AlarmSummary {
  readonly name: string;
  readonly state: string;
  /** ISO 8601: when it entered its state. */
  readonly since: string;
  readonly reason: string;
}

const STATE_ORDER = ['ALARM', 'INSUFFICIENT_DATA', 'OK'];

/** The alarm names of the body's ARNs (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`). */
export function alarmNames(properties: AlarmWidgetProperties): string[] {
  return (properties.alarms ?? []).map((arn) => arn.slice(arn.indexOf(':alarm:') + ':alarm:'.length));
}

export function sortAlarms(properties: AlarmWidgetProperties, alarms: readonly AlarmSummary[]): AlarmSummary[] {
  const filtered = properties.states ? alarms.filter((alarm) => properties.states!.includes(alarm.state)) : [...alarms];
  const newestFirst = (a: AlarmSummary, b: AlarmSummary) => Date.parse(b.since) - Date.parse(a.since);
  if (properties.sortBy === 'stateUpdatedTimestamp' || properties.sortBy === 'timestamp') return filtered.sort(newestFirst);
  const rank = (alarm: AlarmSummary) => (STATE_ORDER.includes(alarm.state) ? STATE_ORDER.indexOf(alarm.state) : STATE_ORDER.length);
  return filtered.sort((a, b) => rank(a) - rank(b) || newestFirst(a, b));
}

/** How long ago, in the console's words (`3 min ago`). */
export function ago(since: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export function alarmStatusHtml(properties: AlarmWidgetProperties, alarms: readonly AlarmSummary[], now: number): string {
  const listed = new Set(alarmNames(properties));
  const missing = [...listed].filter((name) => !alarms.some((alarm) => alarm.name === name));
  const tiles = sortAlarms(properties, alarms).map(
    (alarm) =>
      `<li class="alarm state-${escapeHtml(alarm.state.toLowerCase())}" data-alarm="${escapeHtml(alarm.name)}" data-state="${escapeHtml(alarm.state)}" title="${escapeHtml(alarm.reason)}">` +
      `<span class="alarm-state">${escapeHtml(alarm.state.replace('_', ' '))}</span> <span class="alarm-name">${escapeHtml(alarm.name)}</span>` +
      `<span class="alarm-since">since <time datetime="${escapeHtml(alarm.since)}">${escapeHtml(new Date(alarm.since).toISOString().slice(0, 19).replace('T', ' '))}</time> UTC (${ago(alarm.since, now)})</span></li>`,
  );
  const notFound = missing.map((name) => `<li class="alarm state-missing" data-alarm="${escapeHtml(name)}"><span class="alarm-state">NOT FOUND</span> <span class="alarm-name">${escapeHtml(name)}</span></li>`);
  return `<ul class="alarm-list">${[...tiles, ...notFound].join('')}</ul>`;
}
