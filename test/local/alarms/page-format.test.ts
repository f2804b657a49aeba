/** How `npm start` prints a page: state, alarm, reason and runbook, never the startup OK noise. */
import { describe, expect, it } from 'vitest';
import type { PageEvent } from '../../../local/cloudwatch';
import { formatPage } from '../../../local/pages';

const page = (overrides: Partial<PageEvent> = {}): PageEvent => ({
  alarmName: 'Tidewatch-local-jobs-dead-lettered',
  alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:Tidewatch-local-jobs-dead-lettered',
  oldState: 'OK',
  newState: 'ALARM',
  reason: 'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (23/11/26 19:57:20)] was greater than the threshold (0.0).',
  action: 'arn:aws:sns:us-east-1:000000000000:paging',
  subject: 'ALARM: "Tidewatch-local-jobs-dead-lettered" in US East (N. Virginia)',
  message: JSON.stringify({ AlarmDescription: 'CRITICAL: A job failed on its final attempt. \r\nRunbook: https://example.com/runbooks/jobs-dead-lettered.md' }),
  timestamp: Date.UTC(2026, 10, 23, 19, 57, 30),
  messageId: 'm-1',
  ...overrides,
});

describe('formatPage', () => {
  it('prints the state, the alarm, what is wrong, the reason and the runbook line', () => {
    expect(formatPage(page())).toBe(
      [
        'PAGE 19:57:30 ALARM Tidewatch-local-jobs-dead-lettered (was OK)',
        '     CRITICAL: A job failed on its final attempt.',
        '     Threshold Crossed: 1 out of the last 1 datapoints [1.0 (23/11/26 19:57:20)] was greater than the threshold (0.0).',
        '     Runbook: https://example.com/runbooks/jobs-dead-lettered.md',
        '',
      ].join('\n'),
    );
  });

  it('skips the OK every alarm sends when first evaluated, but not a recovery', () => {
    expect(formatPage(page({ oldState: 'INSUFFICIENT_DATA', newState: 'OK' }))).toBeUndefined();
    expect(formatPage(page({ oldState: 'ALARM', newState: 'OK' }))).toContain('OK Tidewatch-local-jobs-dead-lettered (was ALARM)');
  });

  it('says when a page could not be delivered, and when the description has no runbook', () => {
    const text = formatPage(page({ message: JSON.stringify({ AlarmDescription: 'no link' }), error: 'topic does not exist', messageId: undefined }));
    expect(text).toContain('Runbook: (none in the alarm description)');
    expect(text).toContain('NOT DELIVERED to arn:aws:sns:us-east-1:000000000000:paging: topic does not exist');
  });

  it('colours the state on a terminal, and reverses the PAGE banner in its colour so the page stands out', () => {
    expect(formatPage(page(), { colour: true })).toContain('\u001b[31mALARM\u001b[0m');
    expect(formatPage(page(), { colour: true })).toMatch(/^\u001b\[1;7;31mPAGE\u001b\[0m /);
    expect(formatPage(page({ oldState: 'ALARM', newState: 'OK' }), { colour: true })).toMatch(/^\u001b\[1;7;32mPAGE\u001b\[0m /);
  });
});
