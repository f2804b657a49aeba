import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeError, describeIssues, PermanentError } from './errors';

class QueueGoneError extends Error {
  override readonly name = 'QueueGoneError';
}

describe('describeError', () => {
  it('records class and message, permanent only for PermanentError and its subclasses', () => {
    expect(describeError(new PermanentError('not a CSV'))).toEqual({ class: 'PermanentError', message: 'not a CSV', permanent: true });
    expect(describeError(new QueueGoneError('gone'))).toEqual({ class: 'QueueGoneError', message: 'gone', permanent: false });
    class Malformed extends PermanentError {
      override readonly name = 'Malformed';
    }
    expect(describeError(new Malformed('bad'))).toEqual({ class: 'Malformed', message: 'bad', permanent: true });
  });

  it('describes an error without a message by itself, and a thrown non-error by its type', () => {
    expect(describeError(new Error(''))).toEqual({ class: 'Error', message: 'Error', permanent: false });
    expect(describeError('boom')).toEqual({ class: 'string', message: 'boom', permanent: false });
    expect(describeError(undefined)).toEqual({ class: 'undefined', message: 'undefined', permanent: false });
  });

  it('keeps at most 1,000 characters of a message', () => {
    expect(describeError(new Error('x'.repeat(5000))).message).toHaveLength(1000);
  });
});

describe('describeIssues', () => {
  it('names each problem and where it is, in one line', () => {
    const result = z.strictObject({ a: z.number(), b: z.array(z.string()) }).safeParse({ b: ['ok', 2], c: true });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error?.issues ?? [])).toBe(
      'a: Invalid input: expected number, received undefined; b.1: Invalid input: expected string, received number; Unrecognized key: "c"',
    );
  });
});
