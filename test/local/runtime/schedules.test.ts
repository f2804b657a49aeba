import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScheduleExpression, UnsupportedScheduleError } from '../../../local/runtime/schedule-expression';
import { Scheduler } from '../../../local/runtime/scheduler';

const next = (expression: string, after: string) => parseScheduleExpression(expression).next(new Date(after))?.toISOString();

describe('parseScheduleExpression', () => {
  it.each([
    ['rate(5 minutes)', '2026-11-21T10:07:30.000Z', '2026-11-21T10:12:30.000Z'],
    ['rate(1 day)', '2026-11-21T10:00:00.000Z', '2026-11-22T10:00:00.000Z'],
    ['cron(0 8 ? * MON-FRI *)', '2026-11-21T10:00:00.000Z', '2026-11-23T08:00:00.000Z'],
    ['cron(*/15 * * * ? *)', '2026-11-21T10:07:30.000Z', '2026-11-21T10:15:00.000Z'],
    ['cron(0 12 ? * 1 *)', '2026-11-21T10:00:00.000Z', '2026-11-22T12:00:00.000Z'],
    ['cron(30 6,18 1 JAN-MAR ? 2027)', '2026-11-21T10:00:00.000Z', '2027-01-01T06:30:00.000Z'],
    ['cron(0 0 29 2 ? *)', '2026-03-01T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
    ['cron(0 10 21 11 ? *)', '2026-11-21T10:00:00.000Z', '2027-11-21T10:00:00.000Z'],
  ])('%s after %s → %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it.each([
    ['cron(0 0 L * ? *)', 'does not support L, W or #'],
    ['cron(0 0 * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 0 * * ?)', 'takes six fields'],
    ['cron(61 0 * * ? *)', '"61" is not a value between 0 and 59'],
    ['every day', 'is not a rate() or cron() schedule expression'],
  ])('refuses %s', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(UnsupportedScheduleError);
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });
});

describe('Scheduler', () => {
  let scheduler: Scheduler | undefined;
  afterEach(() => scheduler?.stop());

  it('invokes the target with the Scheduled Event, or its constant input, when the schedule fires', async () => {
    const events: unknown[] = [];
    scheduler = new Scheduler(
      [
        { expression: 'rate(1 minute)', functionName: 'review', invoke: async (event) => events.push(event) },
        { expression: 'rate(1 minute)', input: { report: 'weekly' }, functionName: 'review', invoke: async (event) => events.push(event) },
      ],
      { region: 'us-east-1', accountId: '000000000000', log: () => undefined },
    );
    // Started as if a minute ago (less 100 ms): the first fire is 100 ms away.
    scheduler.start(new Date(Date.now() - 60_000 + 100));
    await expect.poll(() => events.length, { timeout: 5_000 }).toBe(2);
    const scheduled = events.find((event) => (event as ScheduledEvent)['detail-type']) as ScheduledEvent;
    expect(scheduled).toMatchObject({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', region: 'us-east-1', detail: {} });
    expect(scheduled.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(events).toContainEqual({ report: 'weekly' });
  });

  it('fails construction on an unsupported expression, naming it', () => {
    expect(() => new Scheduler([{ expression: 'cron(0 0 1W * ? *)', functionName: 'x', invoke: async () => undefined }], { region: 'us-east-1', accountId: '0', log: () => undefined })).toThrow(
      'cron(0 0 1W * ? *): the local cloud does not support L, W or # in cron fields',
    );
  });
});
