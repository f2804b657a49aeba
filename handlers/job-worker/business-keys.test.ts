import { describe, expect, it } from 'vitest';
import { businessKeysOf } from './business-keys';
import { MalformedJobMessageError } from './errors';

const JOB_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('businessKeysOf (job queues)', () => {
  it('keys a job message by its jobId', () => {
    const body = JSON.stringify({ jobId: JOB_ID, task: 'echo', payload: {}, submittedAt: '2030-01-01T00:00:00.000Z' });
    expect(businessKeysOf(body)).toEqual([{ id: JOB_ID, idempotencyKey: JOB_ID }]);
  });

  it('still keys a malformed message by the jobId it names', () => {
    expect(businessKeysOf(JSON.stringify({ jobId: JOB_ID, submittedAt: 'yesterday' }))).toEqual([{ id: JOB_ID, idempotencyKey: JOB_ID }]);
  });

  it.each([
    ['a body that is not JSON', '{not json'],
    ['a body without a jobId', '{"task":"echo"}'],
    ['a jobId that is no UUID', '{"jobId":"job-1"}'],
  ])('throws MalformedJobMessageError for %s', (_case, body) => {
    expect(() => businessKeysOf(body)).toThrow(MalformedJobMessageError);
  });
});
