import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../local/cloudwatch/metric-store';
import { alignStart, parseStatistic, statisticValue, validatePeriod } from '../../../local/cloudwatch/statistics';
import type { MetricIdentity, PeriodAggregate } from '../../../local/cloudwatch/model';
import { ManualClock } from './helpers';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const metric: MetricIdentity = {
  namespace: 'Tidewatch',
  metricName: 'EndToEndLatency',
  dimensions: [
    { name: 'stage', value: 'local' },
    { name: 'service', value: 'file-worker' },
  ],
};

function newStore(options: { maxPointsPerSeries?: number } = {}) {
  const clock = new ManualClock(T0 + 3600_000);
  return { clock, store: new MetricStore({ clock, ...options }) };
}

function stat(aggregate: PeriodAggregate | undefined, name: string) {
  return aggregate && statisticValue(aggregate, parseStatistic(name));
}

describe('MetricStore', () => {
  it('aggregates values, counts and statistic sets per period, with dimension order irrelevant', () => {
    const { store } = newStore();
    store.put(metric, { timestamp: T0 + 5_000, values: [10, 20], counts: [1, 3], unit: 'Milliseconds' });
    store.put({ ...metric, dimensions: [...metric.dimensions].reverse() }, { timestamp: T0 + 30_000, values: [5] , unit: 'Milliseconds' });
    store.put(metric, { timestamp: T0 + 61_000, statisticValues: { sampleCount: 4, sum: 100, minimum: 1, maximum: 70 } });

    const [first, second] = store.aggregate(metric, { start: T0, periodSeconds: 60, count: 2 });
    expect([stat(first, 'SampleCount'), stat(first, 'Sum'), stat(first, 'Minimum'), stat(first, 'Maximum')]).toEqual([5, 75, 5, 20]);
    expect(stat(first, 'Average')).toBe(15);
    expect(first?.unit).toBe('Milliseconds');
    expect([stat(second, 'SampleCount'), stat(second, 'Sum'), stat(second, 'Average')]).toEqual([4, 100, 25]);
    // A statistic set has no raw values: no percentile can be computed from it.
    expect(stat(second, 'p50')).toBeUndefined();
  });

  it('computes nearest-rank percentiles, weighted by counts', () => {
    const { store } = newStore();
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    store.put(metric, { timestamp: T0, values: [...values].reverse(), storageResolution: 1 });
    const [aggregate] = store.aggregate(metric, { start: T0, periodSeconds: 60, count: 1 });
    expect([stat(aggregate, 'p50'), stat(aggregate, 'p90'), stat(aggregate, 'p99'), stat(aggregate, 'p100')]).toEqual([50, 90, 99, 100]);
    expect(stat(aggregate, 'p99.5')).toBe(100);

    store.put({ ...metric, metricName: 'Weighted' }, { timestamp: T0, values: [1, 1000], counts: [99, 1] });
    const [weighted] = store.aggregate({ ...metric, metricName: 'Weighted' }, { start: T0, periodSeconds: 60, count: 1 });
    expect([stat(weighted, 'p99'), stat(weighted, 'p99.9')]).toEqual([1, 1000]);
  });

  it('keeps high-resolution datapoints to the second and standard ones to the minute', () => {
    const { store } = newStore();
    store.put({ ...metric, metricName: 'High' }, { timestamp: T0 + 12_345, values: [1], storageResolution: 1 });
    store.put({ ...metric, metricName: 'Standard' }, { timestamp: T0 + 12_345, values: [1] });
    const grid = { start: T0, periodSeconds: 10, count: 2 };
    expect(store.aggregate({ ...metric, metricName: 'High' }, grid).map((a) => a?.sum)).toEqual([undefined, 1]);
    expect(store.aggregate({ ...metric, metricName: 'Standard' }, grid).map((a) => a?.sum)).toEqual([1, undefined]);
  });

  it('accepts past timestamps in any order and filters by unit', () => {
    const { store } = newStore();
    for (const minute of [5, 1, 3, 2, 4]) store.put(metric, { timestamp: T0 + minute * 60_000, values: [minute], unit: 'Count' });
    store.put(metric, { timestamp: T0 + 60_000, values: [100], unit: 'Seconds' });
    const sums = store.aggregate(metric, { start: T0, periodSeconds: 60, count: 6 }, 'Count').map((a) => a?.sum);
    expect(sums).toEqual([undefined, 1, 2, 3, 4, 5]);
  });

  it('drops datapoints past retention and keeps at most maxPointsPerSeries', () => {
    const { store, clock } = newStore({ maxPointsPerSeries: 3 });
    store.put(metric, { timestamp: T0 - 16 * 24 * 3600_000, values: [1] }); // older than 15 days: never stored
    for (let i = 0; i < 5; i += 1) store.put(metric, { timestamp: T0 + i * 60_000, values: [i] });
    const grid = { start: T0, periodSeconds: 60, count: 5 };
    expect(store.aggregate(metric, grid).map((a) => a?.sum)).toEqual([undefined, undefined, 2, 3, 4]);

    clock.set(T0 + 15 * 24 * 3600_000 + 150_000);
    store.prune();
    expect(store.aggregate(metric, grid).map((a) => a?.sum)).toEqual([undefined, undefined, undefined, 3, 4]);
    clock.set(T0 + 16 * 24 * 3600_000);
    store.prune();
    expect(store.list()).toEqual([]);
  });

  it('lists metrics by namespace, name, dimension and recent activity', () => {
    const { store } = newStore();
    store.put(metric, { timestamp: T0, values: [1] });
    store.put({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: [{ name: 'QueueName', value: 'files' }] }, { timestamp: T0 + 3500_000, values: [1] });
    expect(store.list({ namespace: 'AWS/SQS' }).map((m) => m.metricName)).toEqual(['NumberOfMessagesSent']);
    expect(store.list({ dimensions: [{ name: 'service' }] })).toEqual([
      { ...metric, dimensions: [{ name: 'service', value: 'file-worker' }, { name: 'stage', value: 'local' }] },
    ]);
    expect(store.list({ dimensions: [{ name: 'service', value: 'job-worker' }] })).toEqual([]);
    expect(store.list({ activeSince: T0 + 1 }).map((m) => m.namespace)).toEqual(['AWS/SQS']);
  });

  it('rejects datapoints CloudWatch would reject', () => {
    const { store } = newStore();
    expect(() => store.put(metric, { timestamp: T0, values: [Number.NaN] })).toThrow(/finite/);
    expect(() => store.put(metric, { timestamp: T0, values: [1, 2], counts: [1] })).toThrow(/same length/);
    expect(() => store.put(metric, { timestamp: T0 })).toThrow(/Value, Values or StatisticValues/);
    expect(() => store.put(metric, { timestamp: T0, statisticValues: { sampleCount: 1, sum: 1, minimum: 2, maximum: 1 } })).toThrow(/Minimum <= Maximum/);
  });
});

describe('statistics', () => {
  it('parses basic statistics and percentiles, and names what it does not support', () => {
    expect(parseStatistic('Sum')).toEqual({ kind: 'basic', name: 'Sum' });
    expect(parseStatistic('p99.9')).toEqual({ kind: 'percentile', name: 'p99.9', percentile: 99.9 });
    expect(() => parseStatistic('tm99')).toThrow(/does not support the extended statistic tm99/);
    expect(() => parseStatistic('Median')).toThrow(/not a valid statistic/);
  });

  it('accepts CloudWatch periods and aligns start times like CloudWatch', () => {
    expect([1, 5, 10, 20, 30, 60, 300].map((p) => validatePeriod(p))).toEqual([1, 5, 10, 20, 30, 60, 300]);
    expect(() => validatePeriod(45)).toThrow(/multiple of 60/);
    expect(() => validatePeriod(0)).toThrow(/positive integer/);
    const t = Date.UTC(2026, 10, 23, 12, 32, 34, 500);
    expect(alignStart(t, 300)).toBe(Date.UTC(2026, 10, 23, 12, 32, 0));
    expect(alignStart(t, 10)).toBe(Date.UTC(2026, 10, 23, 12, 32, 30));
    expect(alignStart(t, 1)).toBe(Date.UTC(2026, 10, 23, 12, 32, 34));
  });
});
