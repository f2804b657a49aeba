import { describe, expect, it } from 'vitest';
import { alarmNamePrefix, bySeverityThenAge, type StackAlarm } from '../../cli/stack-alarms';

describe('bySeverityThenAge', () => {
  const alarm = (name: string, severity: StackAlarm['severity'], since: string): StackAlarm => ({ name, state: 'ALARM', summary: '', severity, since: new Date(since), pages: true });

  it('puts critical first, unknown severity last, and the longest firing first within a severity', () => {
    const alarms = [
      alarm('warn', 'warning', '2026-05-01T03:00:00Z'),
      alarm('unknown', undefined, '2026-05-01T01:00:00Z'),
      alarm('critical-new', 'critical', '2026-05-01T03:10:00Z'),
      alarm('high', 'high', '2026-05-01T02:00:00Z'),
      alarm('critical-old', 'critical', '2026-05-01T03:05:00Z'),
    ];
    expect(alarms.sort(bySeverityThenAge).map((a) => a.name)).toEqual(['critical-old', 'critical-new', 'high', 'warn', 'unknown']);
  });
});

describe('alarmNamePrefix', () => {
  it("is the stack name and a dash, so a stage's alarms do not match a longer stage's name", () => {
    expect(alarmNamePrefix('Tidewatch-dev')).toBe('Tidewatch-dev-');
    expect('Tidewatch-dev2-jobs-stall'.startsWith(alarmNamePrefix('Tidewatch-dev'))).toBe(false);
  });
});
