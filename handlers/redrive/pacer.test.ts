import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer';

describe('Pacer', () => {
  it('lets the n-th message go no earlier than n / rate seconds after the first', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new Pacer(4, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (const count of [4, 4, 2, 1]) await pacer.take(count);
    expect(waits).toEqual([1000, 1000, 500]);
    expect(pacer.batchSize).toBe(4);
  });

  it('sends at most SQS batches of 10, and at least one message, whatever the rate', () => {
    expect([new Pacer(1).batchSize, new Pacer(500).batchSize, new Pacer(Number.POSITIVE_INFINITY).batchSize]).toEqual([1, 10, 10]);
  });
});
