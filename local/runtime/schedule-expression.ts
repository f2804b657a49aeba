/**
 * EventBridge schedule expressions, `rate(5 minutes)` and `cron(0 8 ? * MON-FRI *)`, evaluated in UTC
 * as EventBridge does. The project has no AWS-cron library (AWS's six fields, `?`, 1 = Sunday differ
 * from Unix cron), so this small evaluator is written here; `L`, `W` and `#` are refused by name.
 */

export class UnsupportedScheduleError extends Error {
  override readonly name = 'UnsupportedScheduleError';
}

export interface Schedule {
  /** The first fire time strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined;
}

const MINUTE_MS = 60_000;
const RATE_UNITS_MS: Record<string, number> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How far ahead a cron expression is searched; EventBridge accepts years up to 2199, a local run far less. */
const SEARCH_DAYS = 5 * 366;

export function parseScheduleExpression(expression: string): Schedule {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
  if (rate) {
    const periodMs = Number(rate[1]) * (RATE_UNITS_MS[rate[2] as string] as number);
    if (periodMs <= 0) throw new UnsupportedScheduleError(`${expression}: the rate must be positive`);
    return { next: (after) => new Date(after.getTime() + periodMs) };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron) return cronSchedule(expression, (cron[1] as string).trim().split(/\s+/));
  throw new UnsupportedScheduleError(`${expression} is not a rate() or cron() schedule expression`);
}

function cronSchedule(expression: string, fields: string[]): Schedule {
  if (fields.length !== 6) throw new UnsupportedScheduleError(`${expression}: cron() takes six fields (minutes hours day-of-month month day-of-week year)`);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) throw new UnsupportedScheduleError(`${expression}: exactly one of day-of-month and day-of-week must be "?"`);
  const minutes = parseField(expression, minute, 0, 59);
  const hours = parseField(expression, hour, 0, 23);
  const days = parseField(expression, dayOfMonth, 1, 31);
  const months = parseField(expression, month, 1, 12, MONTHS);
  const weekdays = parseField(expression, dayOfWeek, 1, 7, WEEKDAYS);
  const years = parseField(expression, year, 1970, 2199);
  return {
    next(after) {
      const start = new Date(Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
      for (let offset = 0; offset < SEARCH_DAYS; offset += 1) {
        const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + offset));
        const dayMatches =
          years.has(day.getUTCFullYear()) &&
          months.has(day.getUTCMonth() + 1) &&
          days.has(day.getUTCDate()) &&
          weekdays.has(day.getUTCDay() + 1);
        if (!dayMatches) continue;
        for (const h of [...hours].sort((a, b) => a - b)) {
          for (const m of [...minutes].sort((a, b) => a - b)) {
            const candidate = new Date(day.getTime() + (h * 60 + m) * MINUTE_MS);
            if (candidate >= start) return candidate;
          }
        }
      }
      return undefined;
    },
  };
}

/** The values a field allows: `*`, `?`, lists, ranges, `a/b` or `* /b` steps, and names (JAN, MON). */
function parseField(expression: string, field: string, min: number, max: number, names: readonly string[] = []): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const number = named >= 0 ? named + 1 : Number(token);
    if (!Number.isInteger(number) || number < min || number > max) {
      if (/[LW#]/i.test(token)) throw new UnsupportedScheduleError(`${expression}: the local cloud does not support L, W or # in cron fields`);
      throw new UnsupportedScheduleError(`${expression}: ${JSON.stringify(token)} is not a value between ${min} and ${max}`);
    }
    return number;
  };
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new UnsupportedScheduleError(`${expression}: ${JSON.stringify(stepText)} is not a step`);
    let from = min;
    let to = max;
    if (range !== '*' && range !== '?') {
      const [low = '', high] = range.split('-');
      from = value(low);
      to = high === undefined ? (stepText === undefined ? from : max) : value(high);
    }
    for (let current = from; current <= to; current += step) values.add(current);
  }
  return values;
}
