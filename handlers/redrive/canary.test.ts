import { describe, expect, it } from 'vitest';
import type { ItemStatus, StatusItem } from '../../contract/status-item';
import { awaitCanary, judgeCanary } from './canary';

const MOVED_AT = '2030-01-01T10:00:00.000Z';
const item = (id: string, status: ItemStatus, updatedAt: string, attempts = 1): StatusItem => ({
  id,
  kind: 'job',
  status,
  attempts,
  lastError: { class: 'RequestedFailureError', message: 'fails on purpose', permanent: false },
  createdAt: '2030-01-01T09:00:00.000Z',
  updatedAt,
});
const AFTER = '2030-01-01T10:00:05.000Z';
const BEFORE = '2030-01-01T09:59:00.000Z';

describe('judgeCanary', () => {
  it('passes when every item is PROCESSED or DUPLICATE, a replay of work done before included', () => {
    const items = new Map([['a', item('a', 'PROCESSED', AFTER)], ['b', item('b', 'DUPLICATE', BEFORE)]]);
    expect(judgeCanary(['a', 'b'], items, MOVED_AT)).toEqual({ state: 'passed' });
  });

  it('waits on items whose old failure is all the table says yet, or on their first attempt', () => {
    expect(judgeCanary(['a'], new Map([['a', item('a', 'FAILED', BEFORE, 3)]]), MOVED_AT)).toEqual({ state: 'waiting' });
    expect(judgeCanary(['a'], new Map([['a', item('a', 'PROCESSING', AFTER, 1)]]), MOVED_AT)).toEqual({ state: 'waiting' });
    expect(judgeCanary(['a'], new Map(), MOVED_AT)).toEqual({ state: 'waiting' });
  });

  it('fails, naming the item and its reason, once it failed again after the move: FAILED, or a second attempt started', () => {
    const reason = 'RequestedFailureError: fails on purpose';
    expect(judgeCanary(['a', 'b'], new Map([['a', item('a', 'PROCESSED', AFTER)], ['b', item('b', 'FAILED', AFTER, 3)]]), MOVED_AT)).toEqual({ state: 'failed', failures: [{ itemId: 'b', reason }] });
    expect(judgeCanary(['a'], new Map([['a', item('a', 'PROCESSING', AFTER, 2)]]), MOVED_AT)).toEqual({ state: 'failed', failures: [{ itemId: 'a', reason }] });
  });

  it('fails a canary whose messages named no item: there is no outcome to read', () => {
    expect(judgeCanary([], new Map(), MOVED_AT)).toMatchObject({ state: 'failed' });
  });
});

describe('awaitCanary', () => {
  it('reads until the verdict is in', async () => {
    const answers = [new Map<string, StatusItem>(), new Map([['a', item('a', 'PROCESSED', AFTER)]])];
    const verdict = await awaitCanary(async () => answers.shift() ?? new Map(), ['a'], MOVED_AT, Date.now() + 60_000, async () => undefined);
    expect(verdict).toEqual({ state: 'passed' });
    expect(answers).toEqual([]);
  });

  it('answers waiting at its deadline', async () => {
    expect(await awaitCanary(async () => new Map(), ['a'], MOVED_AT, Date.now(), async () => undefined)).toEqual({ state: 'waiting' });
  });
});
