/**
 * What the alarms did in the period, from their state changes: firings (pages, for the alarms that
 * notify), time in ALARM, recoveries and the mean time to recover (ALARM → OK), flapping (three or more
 * changes in one day of the team's time zone), the state each ended in, pages by hour of day and at
 * night, and the alarms that never fired across this report and the earlier ones. Pure.
 */
import { tz } from '@date-fns/tz';
import { format, getHours } from 'date-fns';
import type { StackAlarm, StateChange } from './alarm-reader';
import type { AlarmReview, AlarmsReview, AlarmState } from './model';

/** Three or more state changes in one day is flapping. */
export const FLAPPING_CHANGES_PER_DAY = 3;
/** Night, in the team's time zone: from 22:00 to 07:00. */
export function isNightHour(hour: number): boolean {
  return hour >= 22 || hour < 7;
}

export interface AlarmFactsInput {
  readonly alarms: readonly StackAlarm[];
  /** Oldest first; from the start of the period until the report was built. */
  readonly changes: readonly StateChange[];
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
  /** `firedByAlarm` of the earlier reports (newest first), up to three. */
  readonly earlierFiredByAlarm: ReadonlyArray<Readonly<Record<string, number>>>;
}

export function alarmFacts(input: AlarmFactsInput): AlarmsReview {
  const zone = { in: tz(input.timeZone) };
  const from = input.from.getTime();
  const to = input.to.getTime();
  const reviews = input.alarms.map((alarm) => alarmReview(alarm, input.changes.filter((change) => change.alarmName === alarm.name), from, to, zone));
  const paging = reviews.filter((review) => review.paging);
  const pageTimes = input.changes.filter(
    (change) => change.to === 'ALARM' && change.time >= from && change.time < to && paging.some((review) => review.name === change.alarmName),
  );
  const pagesByHour = new Array<number>(24).fill(0);
  for (const page of pageTimes) pagesByHour[getHours(page.time, zone)]! += 1;
  const recoveryTimes = paging.flatMap((review) => (review.meanTimeToRecoverSeconds === null ? [] : [review.meanTimeToRecoverSeconds * review.recoveries]));
  const recoveries = paging.reduce((total, review) => total + review.recoveries, 0);
  const firedByAlarm = Object.fromEntries(reviews.map((review) => [review.name, review.fired]));
  const earlier = input.earlierFiredByAlarm.slice(0, 3);
  return {
    total: reviews.length,
    pages: pageTimes.length,
    nightPages: pagesByHour.reduce((night, count, hour) => (isNightHour(hour) ? night + count : night), 0),
    pagesByHour,
    timeInAlarmSeconds: paging.reduce((total, review) => total + review.timeInAlarmSeconds, 0),
    meanTimeToRecoverSeconds: recoveries > 0 ? recoveryTimes.reduce((a, b) => a + b, 0) / recoveries : null,
    notable: reviews
      .filter((review) => review.fired > 0 || review.timeInAlarmSeconds > 0 || review.flappingDays > 0)
      .sort((a, b) => b.fired - a.fired || b.timeInAlarmSeconds - a.timeInAlarmSeconds || a.name.localeCompare(b.name)),
    firedByAlarm,
    silent: {
      weeksCovered: 1 + earlier.length,
      names: reviews
        .filter((review) => review.fired === 0 && earlier.every((fired) => (fired[review.name] ?? 0) === 0))
        .map((review) => review.name)
        .sort(),
    },
  };
}

function alarmReview(alarm: StackAlarm, changes: readonly StateChange[], from: number, to: number, zone: { in: ReturnType<typeof tz> }): AlarmReview {
  // The state the period began in: what the first later change left, else the alarm's state now.
  let state: AlarmState = changes.find((change) => change.time >= from)?.from ?? alarm.state;
  let since = from;
  // An alarm already in ALARM when the period began counts from the period's start; when it entered ALARM is not known.
  let enteredAlarmAt: number | undefined = state === 'ALARM' ? from : undefined;
  let entryKnown = false;
  let timeInAlarmMs = 0;
  let fired = 0;
  const recoveries: number[] = [];
  const perDay = new Map<string, number>();
  for (const change of changes) {
    if (change.time < from || change.time >= to) continue;
    if (state === 'ALARM') timeInAlarmMs += change.time - since;
    if (change.to === 'ALARM') {
      fired += 1;
      enteredAlarmAt = change.time;
      entryKnown = true;
    }
    if (change.from === 'ALARM' && change.to === 'OK' && enteredAlarmAt !== undefined) recoveries.push(change.time - enteredAlarmAt);
    const day = format(change.time, 'yyyy-MM-dd', zone);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    state = change.to;
    since = change.time;
  }
  if (state === 'ALARM') timeInAlarmMs += to - since;
  const dayCounts = [...perDay.values()];
  return {
    name: alarm.name,
    ...(alarm.queue ? { queue: alarm.queue } : {}),
    ...(alarm.severity ? { severity: alarm.severity } : {}),
    ...(alarm.runbookUrl ? { runbookUrl: alarm.runbookUrl } : {}),
    paging: alarm.paging,
    fired,
    transitions: dayCounts.reduce((a, b) => a + b, 0),
    timeInAlarmSeconds: timeInAlarmMs / 1000,
    recoveries: recoveries.length,
    meanTimeToRecoverSeconds: recoveries.length > 0 ? recoveries.reduce((a, b) => a + b, 0) / recoveries.length / 1000 : null,
    flappingDays: dayCounts.filter((count) => count >= FLAPPING_CHANGES_PER_DAY).length,
    mostTransitionsInADay: Math.max(0, ...dayCounts),
    stateAtEnd: state,
    inAlarmSince: state === 'ALARM' && entryKnown ? new Date(enteredAlarmAt!).toISOString() : null,
  };
}
