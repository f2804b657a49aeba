import { describe, expect, it } from 'vitest';
import { RequestedFailureError } from './errors';
import { requestedFailure } from './requested-failure';

const NOW = new Date('2030-01-01T12:00:00.000Z');

describe('requestedFailure', () => {
  it('fails every attempt of a "fail": true job', () => {
    expect(requestedFailure({ fail: true }, NOW)).toEqual(new RequestedFailureError('the job was submitted with "fail": true and fails on every attempt'));
    expect(requestedFailure({ fail: true, failUntil: '2000-01-01T00:00:00.000Z' }, NOW)).toBeInstanceOf(RequestedFailureError);
  });

  it('fails an attempt before failUntil, saying until when and when the attempt ran', () => {
    const failure = requestedFailure({ failUntil: '2030-01-01T12:00:00.001Z' }, NOW);
    expect(failure).toBeInstanceOf(RequestedFailureError);
    expect(failure?.message).toBe('the job fails until 2030-01-01T12:00:00.001Z ("failUntil"); this attempt ran at 2030-01-01T12:00:00.000Z');
  });

  it.each([['2030-01-01T12:00:00.000Z'], ['2030-01-01T11:59:59.999Z'], ['1970-01-01T00:00:00.000Z']])('runs normally at or after failUntil %s', (failUntil) => {
    expect(requestedFailure({ failUntil }, NOW)).toBeUndefined();
  });

  it('runs a job that asks for no failure', () => {
    expect(requestedFailure({}, NOW)).toBeUndefined();
    expect(requestedFailure({ fail: false }, NOW)).toBeUndefined();
  });
});
