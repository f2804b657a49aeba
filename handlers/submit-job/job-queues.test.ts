import { describe, expect, it } from 'vitest';
import { MissingEnvironmentError } from '../shared/env';
import { HttpError } from '../shared/http';
import { jobQueueNamed, readJobQueues } from './job-queues';

const URLS = { jobs: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', reports: 'http://127.0.0.1:4566/000000000000/reports' };
const ENVIRONMENT = { JOB_QUEUE_URLS: JSON.stringify(URLS), DEFAULT_JOB_QUEUE: 'jobs' };

describe('readJobQueues', () => {
  it('reads the queue URLs by name and the default queue', () => {
    expect(readJobQueues(ENVIRONMENT)).toEqual({ urls: URLS, defaultQueue: 'jobs' });
  });

  it.each([
    ['JSON that is not an object of URLs', { JOB_QUEUE_URLS: '["https://example.com/jobs"]' }, /^environment variable JOB_QUEUE_URLS must map queue names to queue URLs: /],
    ['a value that is no URL', { JOB_QUEUE_URLS: '{"jobs":"jobs-queue"}' }, /^environment variable JOB_QUEUE_URLS must map queue names to queue URLs: jobs: /],
    ['a name that is no work queue name', { JOB_QUEUE_URLS: '{"Jobs Queue":"https://example.com/jobs"}' }, /: Jobs Queue: Invalid key in record$/],
    ['no queue at all', { JOB_QUEUE_URLS: '{}' }, /names no queue$/],
    ['text that is not JSON', { JOB_QUEUE_URLS: 'jobs' }, /^environment variable JOB_QUEUE_URLS must be JSON, got "jobs": /],
    ['a default queue it does not name', { DEFAULT_JOB_QUEUE: 'files' }, /^environment variable DEFAULT_JOB_QUEUE is "files", which JOB_QUEUE_URLS does not name \(jobs, reports\)$/],
    ['no default queue', { DEFAULT_JOB_QUEUE: undefined }, /^environment variable DEFAULT_JOB_QUEUE is not set$/],
  ])('fails at cold start, naming the variable, on %s', (_case, overrides, message) => {
    const read = () => readJobQueues({ ...ENVIRONMENT, ...overrides });
    expect(read).toThrow(MissingEnvironmentError);
    expect(read).toThrow(message);
  });
});

describe('jobQueueNamed', () => {
  const queues = readJobQueues(ENVIRONMENT);

  it('answers the named queue, or the default one when none is named', () => {
    expect(jobQueueNamed(queues, 'reports')).toEqual({ name: 'reports', url: URLS.reports });
    expect(jobQueueNamed(queues, undefined)).toEqual({ name: 'jobs', url: URLS.jobs });
  });

  it.each([['files'], [42], [null], ['toString']])('refuses %j with a 400 naming the known queues', (queue) => {
    expect(() => jobQueueNamed(queues, queue)).toThrow(new HttpError(400, 'UnknownQueue', `unknown queue ${JSON.stringify(queue)}; known queues: jobs, reports`));
  });
});
