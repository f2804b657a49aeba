import { describe, expect, it } from 'vitest';
import { renderDlqPeek, type DlqPeekReport } from '../../cli/dlq-peek';
import { renderStatus, type StatusReport } from '../../cli/status';
import { PLAIN, styleFor } from '../../cli/terminal';

const QUIET: StatusReport = {
  stack: 'Tidewatch-local',
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:4566',
  checkedAt: '2026-05-01T03:24:00.000Z',
  healthy: true,
  queues: [
    { name: 'files', queueUrl: 'http://q/files', visible: 0, inFlight: 0, oldestMessageAgeSeconds: null, deadLetterQueueUrl: 'http://q/files-dlq', deadLetterDepth: 0 },
    { name: 'jobs', queueUrl: 'http://q/jobs', visible: 1250, inFlight: 10, oldestMessageAgeSeconds: 312, deadLetterQueueUrl: 'http://q/jobs-dlq', deadLetterDepth: 0 },
  ],
  alarms: { total: 21, firing: [], inAlarmWithoutPaging: [] },
  recentPages: [],
  problems: [],
};

const FIRING: StatusReport = {
  ...QUIET,
  healthy: false,
  queues: [QUIET.queues[0]!, { ...QUIET.queues[1]!, deadLetterDepth: 1 }],
  alarms: {
    total: 21,
    firing: [
      {
        name: 'Tidewatch-local-jobs-dead-lettered',
        state: 'ALARM',
        severity: 'critical',
        summary: 'A job failed on its final attempt.',
        runbookUrl: 'https://runbooks.example/jobs-dead-lettered.md',
        since: new Date('2026-05-01T03:11:52Z'),
        pages: true,
      },
      { name: 'Tidewatch-local-jobs-worker-throttles', state: 'ALARM', summary: '', pages: true },
    ],
    inAlarmWithoutPaging: ['Tidewatch-local-jobs-success-slo-burn-5m', 'Tidewatch-local-jobs-success-slo-burn-1h'],
  },
  recentPages: [{ time: new Date('2026-05-01T03:11:52Z'), alarmName: 'Tidewatch-local-jobs-dead-lettered', from: 'OK', to: 'ALARM' }],
};

describe('renderStatus', () => {
  it('shows a quiet stack as healthy with both queues in aligned columns', () => {
    expect(renderStatus(QUIET, PLAIN)).toBe(
      [
        'Tidewatch-local  (http://127.0.0.1:4566, us-east-1)  03:24:00Z',
        'HEALTHY: no alarm firing (21 alarms)',
        '',
        'QUEUES',
        '  QUEUE  VISIBLE  IN FLIGHT  OLDEST  DLQ',
        '  files        0          0       -    0',
        '  jobs      1250         10  5m 12s    0',
        '',
        'RECENT PAGES (24 h)',
        '  none',
        '',
      ].join('\n'),
    );
  });

  it('puts the alarms firing first, each with what is wrong, since when and its runbook, then the pages', () => {
    expect(renderStatus(FIRING, PLAIN)).toBe(
      [
        'Tidewatch-local  (http://127.0.0.1:4566, us-east-1)  03:24:00Z',
        '2 ALARMS FIRING',
        '',
        'ALARMS FIRING (2 of 21)',
        '  CRITICAL  Tidewatch-local-jobs-dead-lettered  since 03:11:52Z (12m 08s ago)',
        '            A job failed on its final attempt.',
        '            Runbook: https://runbooks.example/jobs-dead-lettered.md',
        '  ALARM     Tidewatch-local-jobs-worker-throttles',
        '            Runbook: (none in the alarm description)',
        '  Also in ALARM, paging nobody: Tidewatch-local-jobs-success-slo-burn-5m, Tidewatch-local-jobs-success-slo-burn-1h',
        '',
        'QUEUES',
        '  QUEUE  VISIBLE  IN FLIGHT  OLDEST  DLQ',
        '  files        0          0       -    0',
        '  jobs      1250         10  5m 12s    1',
        '',
        'RECENT PAGES (24 h)',
        '  03:11:52Z (12m 08s ago)  OK -> ALARM  Tidewatch-local-jobs-dead-lettered',
        '',
      ].join('\n'),
    );
  });

  it('says what could not be read', () => {
    const text = renderStatus({ ...QUIET, healthy: false, alarms: null, recentPages: null, problems: ['alarms: CloudWatch answered AccessDenied: no'] }, PLAIN);
    expect(text).toContain('STATUS INCOMPLETE: see below');
    expect(text).toContain('RECENT PAGES (24 h)\n  unknown');
    expect(text).toMatch(/COULD NOT READ\n {2}alarms: CloudWatch answered AccessDenied: no\n$/);
  });

  it('colours the critical parts red on a terminal', () => {
    const text = renderStatus(FIRING, styleFor({ isTTY: true }, {}));
    expect(text).toContain('\u001b[31m\u001b[1m2 ALARMS FIRING');
    expect(text).toContain('\u001b[31m1\u001b[39m');
  });
});

describe('renderDlqPeek', () => {
  const report: DlqPeekReport = {
    stack: 'Tidewatch-local',
    peekedAt: '2026-05-01T03:24:00.000Z',
    queues: [
      { name: 'files', deadLetterQueueUrl: 'http://q/files-dlq', depth: 0, messages: [] },
      {
        name: 'jobs',
        deadLetterQueueUrl: 'http://q/jobs-dlq',
        depth: 3,
        messages: [
          {
            messageId: 'm-1',
            sentAt: '2026-05-01T03:11:52.000Z',
            receiveCount: 4,
            about: [{ kind: 'job', id: 'job-1', task: 'echo', status: 'FAILED', attempts: 3, lastError: { class: 'RequestedFailureError', message: 'fails on every attempt' }, updatedAt: '2026-05-01T03:11:50.000Z' }],
            body: '{}',
          },
          { messageId: 'm-2', sentAt: null, receiveCount: 1, about: [{ kind: 'job', id: 'job-2', status: null }], body: '{}' },
          { messageId: 'm-3', sentAt: null, receiveCount: null, about: [], unreadable: 'the body is not JSON', body: 'garbage' },
        ],
      },
    ],
  };

  it('shows each message with its job, status, attempts and reason', () => {
    expect(renderDlqPeek(report, PLAIN)).toBe(
      [
        'FILES DLQ  empty  http://q/files-dlq',
        '',
        'JOBS DLQ  3 messages  http://q/jobs-dlq',
        '  job job-1 task echo  FAILED after 3 attempts',
        '    reason   RequestedFailureError: fails on every attempt',
        '    message  m-1  sent 03:11:52Z (12m 08s ago), received 4 times (peeks included)',
        '  job job-2  no status item',
        '    message  m-2  sent at an unknown time, received 1 time (peeks included)',
        '  ? the body is not JSON: garbage',
        '    message  m-3  sent at an unknown time',
        '',
      ].join('\n'),
    );
  });

  it('says how many of the messages it shows', () => {
    const partial = { ...report, queues: [{ ...report.queues[1]!, depth: 40 }] };
    expect(renderDlqPeek(partial, PLAIN).split('\n')[0]).toBe('JOBS DLQ  40 messages, 3 shown  http://q/jobs-dlq');
  });
});
