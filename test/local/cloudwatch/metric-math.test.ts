import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../local/cloudwatch/metric-store';
import { runMetricQueries, type MetricDataQuery } from '../../../local/cloudwatch/metric-query';
import { ManualClock } from './helpers';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const grid = { start: T0, periodSeconds: 60, count: 5 };

/** Two metrics over 5 minutes: a = [1, 2, -, 4, 5], b = [10, 0, 30, -, 50]. */
function storeWithSeries(): MetricStore {
  const store = new MetricStore({ clock: new ManualClock(T0 + 600_000) });
  const put = (name: string, values: Array<number | undefined>) =>
    values.forEach((value, minute) => {
      if (value !== undefined) store.put({ namespace: 'T', metricName: name, dimensions: [] }, { timestamp: T0 + minute * 60_000, values: [value] });
    });
  put('A', [1, 2, undefined, 4, 5]);
  put('B', [10, 0, 30, undefined, 50]);
  return store;
}

const stat = (id: string, name: string): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: 'T', MetricName: name }, Period: 60, Stat: 'Sum' },
  ReturnData: false,
});

function evaluate(expression: string): Array<number | undefined> {
  const [result] = runMetricQueries(storeWithSeries(), [stat('a', 'A'), stat('b', 'B'), { Id: 'e', Expression: expression }], grid);
  expect(result.series).toHaveLength(1);
  return [...result.series[0].values];
}

describe('metric math', () => {
  it('does arithmetic with scalars and between series, where both have a datapoint', () => {
    expect(evaluate('a + b')).toEqual([11, 2, undefined, undefined, 55]);
    expect(evaluate('2 * a - 1')).toEqual([1, 3, undefined, 7, 9]);
    expect(evaluate('-a + 2 ^ 3')).toEqual([7, 6, undefined, 4, 3]);
    expect(evaluate('(a + 1) * 2')).toEqual([4, 6, undefined, 10, 12]);
  });

  it('drops non-finite results such as a division by zero', () => {
    expect(evaluate('100 * a / b')).toEqual([10, undefined, undefined, undefined, 10]);
  });

  it('compares and combines conditions into 1 or 0', () => {
    expect(evaluate('a > 2')).toEqual([0, 0, undefined, 1, 1]);
    expect(evaluate('a >= 2 AND b > 10')).toEqual([0, 0, undefined, undefined, 1]);
    expect(evaluate('a == 1 || b == 50')).toEqual([1, 0, undefined, undefined, 1]);
    expect(evaluate('a != 1 && !(b == 0)')).toEqual([0, 0, undefined, undefined, 1]);
  });

  it('chooses with IF, with and without an else branch', () => {
    expect(evaluate('IF(a > 2, a, 0)')).toEqual([0, 0, undefined, 4, 5]);
    expect(evaluate('IF(b > 5, 1)')).toEqual([1, undefined, 1, undefined, 1]);
    expect(evaluate('IF(FILL(a, 0) > 0 AND FILL(b, 0) == 0, 1, 0)')).toEqual([0, 1, 0, 1, 0]);
  });

  it('fills missing datapoints with a value, REPEAT or LINEAR', () => {
    expect(evaluate('FILL(a, 0)')).toEqual([1, 2, 0, 4, 5]);
    expect(evaluate('FILL(b, REPEAT)')).toEqual([10, 0, 30, 30, 50]);
    expect(evaluate('FILL(a, LINEAR)')).toEqual([1, 2, 3, 4, 5]);
    expect(evaluate('FILL(a, b)')).toEqual([1, 2, 30, 4, 5]);
  });

  it('aggregates a list per period, and a single series to one value', () => {
    expect(evaluate('SUM([a, b])')).toEqual([11, 2, 30, 4, 55]);
    expect(evaluate('MAX([a, b])')).toEqual([10, 2, 30, 4, 50]);
    expect(evaluate('MIN([a, b])')).toEqual([1, 0, 30, 4, 5]);
    expect(evaluate('AVG([a, b])')).toEqual([5.5, 1, 30, 4, 27.5]);
    expect(evaluate('SUM(a)')).toEqual([12, 12, 12, 12, 12]);
    expect(evaluate('a / MAX(a)')).toEqual([0.2, 0.4, undefined, 0.8, 1]);
    expect(evaluate('SUM(METRICS())')).toEqual([11, 2, 30, 4, 55]);
  });

  it('knows PERIOD, RATE, DIFF, ABS, CEIL and FLOOR', () => {
    expect(evaluate('a / PERIOD(a)')).toEqual([1 / 60, 2 / 60, undefined, 4 / 60, 5 / 60]);
    expect(evaluate('RATE(a)')).toEqual([undefined, 1 / 60, undefined, 1 / 60, 1 / 60]);
    expect(evaluate('DIFF(b)')).toEqual([undefined, -10, 30, undefined, 20]);
    expect(evaluate('ABS(0 - a)')).toEqual([1, 2, undefined, 4, 5]);
    expect(evaluate('CEIL(a / 2) + FLOOR(a / 2)')).toEqual([1, 2, undefined, 4, 5]);
  });

  it('resolves ids in any order and returns only ReturnData queries', () => {
    const results = runMetricQueries(
      storeWithSeries(),
      [{ Id: 'rate', Expression: 'errors / total', Label: 'Rate' }, { Id: 'total', Expression: 'a + b', ReturnData: false }, stat('a', 'A'), stat('b', 'B'), { Id: 'errors', Expression: 'a' , ReturnData: false}],
      grid,
    );
    expect(results.map((r) => [r.id, r.label])).toEqual([['rate', 'Rate']]);
    expect(results[0].series[0].values[0]).toBeCloseTo(1 / 11);
  });

  it('answers clear errors for what it does not support or cannot parse', () => {
    expect(() => evaluate('ANOMALY_DETECTION_BAND(a)')).toThrow(/does not support the metric math function ANOMALY_DETECTION_BAND \(supported: IF, FILL/);
    expect(() => evaluate('SEARCH(\'{AWS/SQS}\', \'Sum\')')).toThrow(/string literals/);
    expect(() => evaluate('a +')).toThrow(/Syntax error .* unexpected end/);
    expect(() => evaluate('a b')).toThrow(/unexpected 'b'/);
    expect(() => evaluate('c * 2')).toThrow(/unknown Id c/);
    expect(() => evaluate('IF(a)')).toThrow(/IF takes 2 to 3 arguments/);
    expect(() =>
      runMetricQueries(storeWithSeries(), [{ Id: 'x', Expression: 'y' }, { Id: 'y', Expression: 'x' }], grid),
    ).toThrow(/cycle/);
    expect(() => runMetricQueries(storeWithSeries(), [{ Id: 'X1', Expression: '1' }], grid)).toThrow(/must start with a lowercase letter/);
  });
});
