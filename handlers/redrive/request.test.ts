import { describe, expect, it } from 'vitest';
import { BadRequestError, isContinueEvent, parseRequest } from './request';
import type { RedriveQueue } from './settings';

const jobs: RedriveQueue = {
  name: 'jobs',
  worker: 'job-worker',
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
  queueArn: 'arn:aws:sqs:us-east-1:123456789012:jobs',
  deadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq',
  deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:jobs-dlq',
};
const queues = new Map([['jobs', jobs]]);

describe('parseRequest', () => {
  it('fills the defaults: selective, 10 a second, not a dry run, asker unknown', () => {
    expect(parseRequest({ action: 'start', queue: 'jobs' }, queues)).toEqual({
      action: 'start',
      queue: jobs,
      mode: 'selective',
      maxPerSecond: 10,
      dryRun: false,
      requestedBy: 'unknown (see CloudTrail)',
    });
  });

  it.each([
    [{ action: 'redrive', queue: 'jobs' }, /invalid request: action: Invalid option/],
    [{ action: 'start', queue: 'images' }, /unknown queue "images"; the work queues are jobs/],
    [{ action: 'start', queue: 'jobs', extra: 1 }, /Unrecognized key: "extra"/],
    [{ action: 'start', queue: 'jobs', mode: 'all', filter: { failureClass: 'A' } }, /mode "all" moves every dead letter/],
    [{ action: 'start', queue: 'jobs', mode: 'all', maxPerSecond: 501 }, /at most 500 messages a second/],
    [{ action: 'start', queue: 'jobs', maxPerSecond: 0 }, /maxPerSecond/],
    [{ action: 'archive', queue: 'jobs' }, /archive needs messageIds or a filter/],
    [{ action: 'archive', queue: 'jobs', mode: 'selective', messageIds: ['m'] }, /archive takes no mode/],
    [{ action: 'start', queue: 'jobs', messageIds: ['m'] }, /messageIds choose dead letters to archive/],
    [{ action: 'start', queue: 'jobs', canary: 2, dryRun: true }, /a canary belongs to a redrive that moves messages/],
    [{ action: 'start', queue: 'jobs', filter: { olderThan: 'yesterday' } }, /filter\.olderThan/],
    [{ action: 'start', queue: 'jobs', filter: { bodyField: { path: 'a..b', equals: 'x' } } }, /a dotted path of field names/],
  ])('refuses %j, saying why', (event, message) => {
    expect(() => parseRequest(event, queues)).toThrow(BadRequestError);
    expect(() => parseRequest(event, queues)).toThrow(message);
  });

  it('tells its own chunk hand-off from a request', () => {
    expect(isContinueEvent({ action: 'continue', queue: 'jobs', runKey: 'run#x', runId: 'x', chunk: 2 })).toBe(true);
    expect(isContinueEvent({ action: 'continue', queue: 'jobs' })).toBe(false);
    expect(isContinueEvent({ action: 'start', queue: 'jobs' })).toBe(false);
  });
});
