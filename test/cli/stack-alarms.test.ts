import { describe, expect, it } from 'vitest';
import { alarmNamePrefix, bySeverityThenAge, parseAlarmDescription, type StackAlarm } from '../../cli/stack-alarms';

describe('parseAlarmDescription', () => {
  it("reads the severity, summary and runbook of the catalogue's description", () => {
    // The catalogue prefixes the severity; cdk-monitoring-constructs' AlarmFactory appends " \r\nRunbook: <link>".
    const description = 'CRITICAL: A job failed on its final attempt: its message is moving to the jobs dead-letter queue. \r\nRunbook: https://runbooks.example/jobs-dead-lettered.md';
    expect(parseAlarmDescription(description)).toEqual({
      severity: 'critical',
      summary: 'A job failed on its final attempt: its message is moving to the jobs dead-letter queue.',
      runbookUrl: 'https://runbooks.example/jobs-dead-lettered.md',
    });
    expect(parseAlarmDescription('WARNING: Lambda throttled the job-worker.').severity).toBe('warning');
  });

  it('keeps a description without a known severity whole', () => {
    const window = 'Burn-rate window of Tidewatch-dev-jobs-success-slo-burn: over 6x for 6h. Pages only through it. \r\nRunbook: https://r/x.md';
    expect(parseAlarmDescription(window)).toEqual({ summary: 'Burn-rate window of Tidewatch-dev-jobs-success-slo-burn: over 6x for 6h. Pages only through it.', runbookUrl: 'https://r/x.md' });
    expect(parseAlarmDescription('NOTE: the queue stalls.')).toEqual({ summary: 'NOTE: the queue stalls.' });
  });

  it('copes with an empty description', () => {
    expect(parseAlarmDescription('')).toEqual({ summary: '' });
  });
});

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
