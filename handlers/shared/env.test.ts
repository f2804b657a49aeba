import { describe, expect, it } from 'vitest';
import { MissingEnvironmentError, requireEnv, requireJsonEnv, requireNumberEnv } from './env';

describe('requireEnv', () => {
  it('reads a contract variable by its key', () => {
    expect(requireEnv('statusTable', { STATUS_TABLE_NAME: 'status' })).toBe('status');
  });

  it.each([[{}], [{ STATUS_TABLE_NAME: '' }]])('names the variable when it is absent or empty', (env) => {
    expect(() => requireEnv('statusTable', env)).toThrow(new MissingEnvironmentError('environment variable STATUS_TABLE_NAME is not set'));
  });
});

describe('requireNumberEnv', () => {
  it('reads a number', () => {
    expect(requireNumberEnv('maxReceiveCount', { MAX_RECEIVE_COUNT: '3' })).toBe(3);
  });

  it('names the variable and value when it is not a number', () => {
    expect(() => requireNumberEnv('maxReceiveCount', { MAX_RECEIVE_COUNT: 'three' })).toThrow(
      'environment variable MAX_RECEIVE_COUNT must be a number, got "three"',
    );
  });
});

describe('requireJsonEnv', () => {
  it('reads JSON', () => {
    expect(requireJsonEnv('jobQueueUrls', { JOB_QUEUE_URLS: '{"jobs":"https://example.com/jobs"}' })).toEqual({ jobs: 'https://example.com/jobs' });
  });

  it('names the variable and value when it is not JSON', () => {
    expect(() => requireJsonEnv('jobQueueUrls', { JOB_QUEUE_URLS: 'jobs=https://example.com/jobs' })).toThrow(
      /^environment variable JOB_QUEUE_URLS must be JSON, got "jobs=https:\/\/example.com\/jobs": /,
    );
  });
});
