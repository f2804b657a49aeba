import { describe, expect, it } from 'vitest';
import { MissingEnvironmentError } from './env';
import { readWorkerSettings } from './worker-settings';

const ENVIRONMENT = {
  WORK_QUEUE_NAME: 'reports',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/reports',
  STATUS_TABLE_NAME: 'status-table',
  IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
  IDEMPOTENCY_TTL_SECONDS: '1209600',
  MAX_RECEIVE_COUNT: '3',
  RETRY_BACKOFF_BASE_SECONDS: '10',
};

describe('readWorkerSettings', () => {
  it('reads the work queue, its URL, the tables, the idempotency TTL and the retry policy', () => {
    expect(readWorkerSettings(ENVIRONMENT)).toEqual({
      queue: 'reports',
      queueUrl: ENVIRONMENT.QUEUE_URL,
      statusTableName: 'status-table',
      idempotencyTableName: 'idempotency-table',
      idempotencyTtlSeconds: 1_209_600,
      retry: { maxReceiveCount: 3, backoffBaseSeconds: 10 },
    });
  });

  it.each(['WORK_QUEUE_NAME', 'IDEMPOTENCY_TTL_SECONDS'])('fails at cold start naming %s when the stack did not set it', (name) => {
    expect(() => readWorkerSettings({ ...ENVIRONMENT, [name]: undefined })).toThrow(new MissingEnvironmentError(`environment variable ${name} is not set`));
  });

  it('refuses an idempotency TTL that is not a number', () => {
    expect(() => readWorkerSettings({ ...ENVIRONMENT, IDEMPOTENCY_TTL_SECONDS: '14 days' })).toThrow('environment variable IDEMPOTENCY_TTL_SECONDS must be a number, got "14 days"');
  });
});
