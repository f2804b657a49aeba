import { describe, expect, it } from 'vitest';
import { formatAlarmDescription, parseAlarmDescription, runbookIdOf } from '../../contract/alarm-description';

describe('parseAlarmDescription', () => {
  it("reads the severity, summary and runbook of the catalogue's description", () => {
    // Descriptions written before the Queue line, with AlarmFactory's " \r\n" before the runbook, still read.
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

describe('formatAlarmDescription', () => {
  it('writes what parseAlarmDescription reads back: severity, summary, queue and runbook', () => {
    const description = { severity: 'high', summary: 'A job has waited over 120 s.', queue: 'reports', runbookUrl: 'https://r.example/runbooks/queue-age.md' } as const;
    const text = formatAlarmDescription(description);
    expect(text).toBe('HIGH: A job has waited over 120 s.\nQueue: reports\nRunbook: https://r.example/runbooks/queue-age.md');
    expect(parseAlarmDescription(text)).toEqual(description);
    expect(runbookIdOf(description.runbookUrl)).toBe('queue-age');
  });

  it('leaves out the queue of an alarm that belongs to none', () => {
    expect(formatAlarmDescription({ severity: 'high', summary: 'API 5xx.', runbookUrl: 'https://r/api-5xx.md' })).toBe('HIGH: API 5xx.\nRunbook: https://r/api-5xx.md');
  });
});
