/**
 * The dashboard's time range: relative (the last 3 hours, moving with each refresh) or absolute (two
 * fixed instants), as the body's `start`/`end` and the picker set it.
 */

export type TimeRange = { readonly mode: 'relative'; readonly seconds: number } | { readonly mode: 'absolute'; readonly start: Date; readonly end: Date };

export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

/** The relative ranges the picker offers, in seconds. */
export const RELATIVE_CHOICES: readonly { readonly label: string; readonly seconds: number }[] = [
  { label: '15m', seconds: 15 * 60 },
  { label: '1h', seconds: 3600 },
  { label: '3h', seconds: 3 * 3600 },
  { label: '12h', seconds: 12 * 3600 },
  { label: '1d', seconds: 86_400 },
  { label: '1w', seconds: 7 * 86_400 },
];

const UNIT_SECONDS = { W: 7 * 86_400, D: 86_400, H: 3600, M: 60, S: 1 } as const;

/**
 * Seconds of an ISO 8601 duration as dashboards write it (`-PT3H`, `-P7D`, `-PT15M`; the sign is
 * ignored, months and years are not used by relative ranges). Hand-written: a regular expression.
 */
export function durationSeconds(duration: string): number {
  const match = /^-?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match || duration.endsWith('P') || duration.endsWith('T')) throw new Error(`not an ISO 8601 duration of weeks, days, hours, minutes or seconds: ${JSON.stringify(duration)}`);
  const [, weeks, days, hours, minutes, seconds] = match;
  return [weeks, days, hours, minutes, seconds].reduce((sum, value, index) => sum + Number(value ?? 0) * Object.values(UNIT_SECONDS)[index]!, 0);
}

/** The range a body opens with: `start` relative (`-PT3H`) or absolute with `end`; CloudWatch's 3 hours when unset. */
export function initialRange(body: { readonly start?: string; readonly end?: string }): TimeRange {
  if (body.start === undefined) return { mode: 'relative', seconds: 3 * 3600 };
  if (body.start.startsWith('-P')) return { mode: 'relative', seconds: durationSeconds(body.start) };
  const start = new Date(body.start);
  const end = body.end === undefined ? new Date() : new Date(body.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new Error(`the dashboard's time range is neither relative nor ISO 8601: ${body.start} to ${body.end}`);
  return { mode: 'absolute', start, end };
}

export function intervalOf(range: TimeRange, now: number): Interval {
  return range.mode === 'relative' ? { start: new Date(now - range.seconds * 1000), end: new Date(now) } : { start: range.start, end: range.end };
}

/** The most datapoints a graph asks for per series: past it the period grows, as the console's does. */
const MAX_POINTS = 1440;
const PERIODS = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];

/** The period a metric is drawn with: its own, made coarser where the range would hold too many points. */
export function drawnPeriod(period: number, interval: Interval): number {
  const seconds = (interval.end.getTime() - interval.start.getTime()) / 1000;
  if (seconds / period <= MAX_POINTS) return period;
  return PERIODS.find((candidate) => candidate >= period && seconds / candidate <= MAX_POINTS) ?? PERIODS.at(-1)!;
}
