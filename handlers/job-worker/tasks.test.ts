import { describe, expect, it } from 'vitest';
import { PermanentError } from '../shared/errors';
import { InvalidPayloadError, UnknownTaskError } from './errors';
import { InsufficientTimeError, isTaskName, MAX_SLEEP_MS, runTask, SLEEP_SAFETY_MARGIN_MS, TASK_NAMES, TASKS } from './tasks';

const plenty = { remainingTimeMs: () => 60_000, invocationMs: 60_000 };

describe('task registry', () => {
  it('lists its task names sorted, each with a description', () => {
    expect(TASK_NAMES).toEqual(['echo', 'sleep', 'sum', 'word-count']);
    for (const name of TASK_NAMES) expect(TASKS[name].description).not.toBe('');
    expect(isTaskName('sum')).toBe(true);
    expect(isTaskName('toString')).toBe(false);
  });

  it('rejects an unknown task permanently, naming the known ones', async () => {
    await expect(runTask('resize-image', {}, plenty)).rejects.toThrow(
      new UnknownTaskError('unknown task "resize-image"; known tasks: echo, sleep, sum, word-count'),
    );
  });

  it('echo returns its payload', async () => {
    await expect(runTask('echo', { a: [1, { b: null }] }, plenty)).resolves.toEqual({ a: [1, { b: null }] });
    await expect(runTask('echo', 'text', plenty)).rejects.toBeInstanceOf(PermanentError);
  });

  it('sum adds numbers and describes them', async () => {
    await expect(runTask('sum', { numbers: [4, -1, 0.5] }, plenty)).resolves.toEqual({ count: 3, sum: 3.5, mean: 3.5 / 3, min: -1, max: 4 });
  });

  it.each([
    [{}, /numbers: Invalid input: expected array/],
    [{ numbers: [] }, /numbers: Too small/],
    [{ numbers: [1, '2'] }, /numbers\.1: Invalid input: expected number/],
    [{ numbers: [1], extra: true }, /Unrecognized key: "extra"/],
    [{ numbers: [Number.MAX_VALUE, Number.MAX_VALUE] }, /overflows/],
  ])('sum rejects %j permanently', async (payload, reason) => {
    const error = await runTask('sum', payload, plenty).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(reason);
  });

  it.each([
    ['', { words: 0, lines: 0, characters: 0 }],
    ['Hello, world!\nSecond line.\n', { words: 4, lines: 2, characters: 27 }],
    ["l'été, c'est 👍🏽", { words: 2, lines: 1, characters: 14 }],
    ['a\r\nb\rc', { words: 3, lines: 3, characters: 5 }],
  ])('word-count counts %j', async (text, expected) => {
    await expect(runTask('word-count', { text }, plenty)).resolves.toEqual(expected);
  });

  it('sleep waits the asked time when the invocation has room for it', async () => {
    const result = (await runTask('sleep', { ms: 20 }, plenty)) as { sleptMs: number };
    expect(result.sleptMs).toBeGreaterThanOrEqual(19);
  });

  it('sleep refuses, transiently, a wait that does not fit the remaining time', async () => {
    const error = await runTask('sleep', { ms: 1_000 }, { remainingTimeMs: () => SLEEP_SAFETY_MARGIN_MS + 999, invocationMs: 60_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientTimeError);
    expect(error).not.toBeInstanceOf(PermanentError);
  });

  it('sleep rejects permanently a wait no invocation of the worker can hold', async () => {
    const error = await runTask('sleep', { ms: 1_000 }, { remainingTimeMs: () => 60_000, invocationMs: SLEEP_SAFETY_MARGIN_MS + 999 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as Error).message).toBe(`sleep of 1000 ms can never fit this worker's invocations of ${SLEEP_SAFETY_MARGIN_MS + 999} ms (${SLEEP_SAFETY_MARGIN_MS} ms kept free)`);
  });

  it.each([{ ms: -1 }, { ms: 1.5 }, { ms: MAX_SLEEP_MS + 1 }, {}])('sleep rejects %j permanently', async (payload) => {
    await expect(runTask('sleep', payload, plenty)).rejects.toBeInstanceOf(PermanentError);
  });
});
