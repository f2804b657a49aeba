import { describe, expect, it } from 'vitest';
import type { StatusItem } from '../../contract/status-item';
import { matches, needsStatus, type Candidate } from './filter';

const failed = (cls: string, message: string): StatusItem => ({
  id: 'job-1',
  kind: 'job',
  status: 'FAILED',
  lastError: { class: cls, message, permanent: false },
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
});

const candidate = (overrides: Partial<Candidate> = {}): Candidate => ({
  messageId: 'm-1',
  body: JSON.stringify({ jobId: 'job-1', task: 'echo', payload: { kind: 'report', size: 3, done: false } }),
  sentAt: new Date('2030-01-01T10:00:00Z'),
  itemIds: ['job-1'],
  items: [failed('TimeoutError', 'the upstream timed out after 30 s')],
  ...overrides,
});

describe('matches', () => {
  it('takes every dead letter without a filter', () => {
    expect(matches(undefined, candidate({ items: [] }))).toBe(true);
  });

  it.each([
    [{ failureClass: 'TimeoutError' }, true],
    [{ failureClass: 'Timeout' }, false],
    [{ messageContains: 'timed out' }, true],
    [{ messageContains: 'refused' }, false],
    [{ olderThan: '2030-01-01T10:00:00.001Z' }, true],
    [{ olderThan: '2030-01-01T10:00:00.000Z' }, false],
    [{ newerThan: '2030-01-01T10:00:00.000Z' }, true],
    [{ newerThan: '2030-01-01T10:00:01.000Z' }, false],
    [{ bodyField: { path: 'task', equals: 'echo' } }, true],
    [{ bodyField: { path: 'payload.kind', equals: 'report' } }, true],
    [{ bodyField: { path: 'payload.size', equals: '3' } }, true],
    [{ bodyField: { path: 'payload.done', equals: 'false' } }, true],
    [{ bodyField: { path: 'payload', equals: '[object Object]' } }, false],
    [{ bodyField: { path: 'payload.missing', equals: '' } }, false],
    [{ failureClass: 'TimeoutError', bodyField: { path: 'task', equals: 'sum' } }, false],
  ])('%j → %s', (filter, expected) => {
    expect(matches(filter, candidate())).toBe(expected);
  });

  it('judges a message without a status item or a JSON body as not matching what it lacks', () => {
    expect(matches({ failureClass: 'TimeoutError' }, candidate({ items: [] }))).toBe(false);
    expect(matches({ bodyField: { path: 'task', equals: 'echo' } }, candidate({ body: '<not json>' }))).toBe(false);
    expect(matches({ olderThan: '2031-01-01T00:00:00Z' }, candidate({ sentAt: undefined }))).toBe(false);
  });

  it('reads the status table only for filters on the failure', () => {
    expect([needsStatus(undefined), needsStatus({ olderThan: 'x', bodyField: { path: 'a', equals: 'b' } }), needsStatus({ failureClass: 'A' }), needsStatus({ messageContains: 'b' })]).toEqual([false, false, true, true]);
  });
});
