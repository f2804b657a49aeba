/**
 * The period a review covers: an ISO week (`2026-W47`, Monday 00:00 UTC to the next Monday) or a
 * range of whole UTC days. Weeks are UTC so that a report means the same thing for every reader; the
 * team's time zone only shapes the hour-of-day figures. ISO week arithmetic is date-fns'.
 */
import { tz } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { addWeeks } from 'date-fns/addWeeks';
import { format } from 'date-fns/format';
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import { setISOWeek } from 'date-fns/setISOWeek';
import { setISOWeekYear } from 'date-fns/setISOWeekYear';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';

const UTC = { in: tz('UTC') };
const DAY_MS = 86_400_000;
const ISO_WEEK = /^(\d{4})-W(\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest custom range: CloudWatch keeps one-minute data 15 days, longer reads lose resolution. */
export const MAX_RANGE_DAYS = 31;

export interface ReviewPeriod {
  /** `2026-W47`, or `2026-11-16_2026-11-23` for a range: also the folder under `reports/`. */
  readonly label: string;
  /** Set for an ISO week. */
  readonly week?: string;
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
}

export class PeriodError extends Error {
  override readonly name = 'PeriodError';
}

export function isoWeekPeriod(week: string): ReviewPeriod {
  const match = ISO_WEEK.exec(week);
  if (!match) throw new PeriodError(`a week is written YYYY-Www, e.g. 2026-W47 (got ${JSON.stringify(week)})`);
  const from = plain(startOfISOWeek(setISOWeek(setISOWeekYear(new Date(Date.UTC(Number(match[1]), 5, 1)), Number(match[1]), UTC), Number(match[2]), UTC), UTC));
  // date-fns rolls week 53 of a 52-week year into the next year: the round trip tells.
  if (isoWeekOf(from) !== week) throw new PeriodError(`${week} is not a week of ${match[1]}`);
  return { label: week, week, from, to: plain(addWeeks(from, 1, UTC)) };
}

/** `2026-W47` for any instant of that week (UTC). */
export function isoWeekOf(date: Date): string {
  return `${getISOWeekYear(date, UTC)}-W${String(getISOWeek(date, UTC)).padStart(2, '0')}`;
}

/** The last whole week before `at`: what a run on Monday morning reviews. */
export function lastCompleteWeek(at: Date): ReviewPeriod {
  return isoWeekPeriod(isoWeekOf(plain(addDays(startOfISOWeek(at, UTC), -1, UTC))));
}

/** The week `count` weeks before `week`. */
export function weekBefore(week: string, count: number): string {
  return isoWeekOf(plain(addWeeks(isoWeekPeriod(week).from, -count, UTC)));
}

/** Whole UTC days from `from` (inclusive) to `to` (exclusive), both `YYYY-MM-DD`. */
export function dayRangePeriod(from: string, to: string): ReviewPeriod {
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new PeriodError(`--${name} is a date written YYYY-MM-DD (got ${JSON.stringify(value)})`);
  }
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  const days = (end.getTime() - start.getTime()) / DAY_MS;
  if (days < 1) throw new PeriodError(`--to (${to}) must be at least a day after --from (${from})`);
  if (days > MAX_RANGE_DAYS) throw new PeriodError(`a review covers at most ${MAX_RANGE_DAYS} days (got ${days})`);
  return { label: `${from}_${to}`, from: start, to: end };
}

/** The UTC days of the period, `YYYY-MM-DD`. */
export function periodDays(period: ReviewPeriod): string[] {
  const count = Math.ceil((period.to.getTime() - period.from.getTime()) / DAY_MS);
  return Array.from({ length: count }, (_, i) => format(addDays(period.from, i, UTC), 'yyyy-MM-dd', UTC));
}

/** A date-fns TZDate as a plain Date (same instant). */
function plain(date: Date): Date {
  return new Date(date.getTime());
}
