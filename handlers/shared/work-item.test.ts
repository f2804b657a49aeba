import { describe, expect, it } from 'vitest';
import { endToEndLatencyMs, implausibleEntryTime, MAX_CLOCK_SKEW_MS } from './work-item';

const COMPLETED_AT = '2030-01-15T00:00:00.000Z';
const DAY_MS = 86_400_000;
const entered = (msBefore: number) => ({ receivedAt: new Date(Date.parse(COMPLETED_AT) - msBefore).toISOString() });

describe('endToEndLatencyMs', () => {
  it('is the time from entry to completion, never negative', () => {
    expect(endToEndLatencyMs(entered(1500), COMPLETED_AT)).toBe(1500);
    expect(endToEndLatencyMs(entered(-1000), COMPLETED_AT)).toBe(0);
  });
});

describe('implausibleEntryTime', () => {
  it.each([
    ['just now', 0],
    ['the whole retention ago', 14 * DAY_MS],
    ['later by the clock skew allowed', -MAX_CLOCK_SKEW_MS],
  ])('accepts an entry %s', (_case, msBefore) => {
    expect(implausibleEntryTime(entered(msBefore), COMPLETED_AT, 14 * DAY_MS)).toBeUndefined();
  });

  it.each([
    ['older than the retention', 14 * DAY_MS + 1],
    ['later than the completion beyond clock skew', -MAX_CLOCK_SKEW_MS - 1000],
  ])('refuses an entry %s, saying why', (_case, msBefore) => {
    expect(implausibleEntryTime(entered(msBefore), COMPLETED_AT, 14 * DAY_MS)).toMatch(/^entered /);
  });

  it('names the bound it applied', () => {
    expect(implausibleEntryTime({ receivedAt: '1970-01-01T00:00:00.000Z' }, COMPLETED_AT, 14 * DAY_MS)).toBe(
      'entered 1970-01-01T00:00:00.000Z, longer before it completed than the 14 days any message of this queue is kept',
    );
    expect(implausibleEntryTime(entered(2 * DAY_MS), COMPLETED_AT, DAY_MS)).toMatch(/than the 1 day any message/);
    expect(implausibleEntryTime(entered(3_600_001), COMPLETED_AT, 3_600_000)).toMatch(/than the 3600 s any message/);
    expect(implausibleEntryTime({ receivedAt: '2030-01-15T00:06:00.000Z' }, COMPLETED_AT, DAY_MS)).toBe(
      'entered 2030-01-15T00:06:00.000Z, 360 s after it completed: more than the 300 s of clock skew allowed',
    );
  });
});
