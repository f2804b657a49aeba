/**
 * SLO burn-rate conditions (Google SRE workbook, "Alerting on SLOs", multiwindow multi-burn-rate):
 * page when the error budget of a 30-day SLO burns 14.4 × too fast over 1 h and 5 min (2% of the budget
 * in an hour), or 6 × over 6 h and 30 min (5% in six hours).
 *
 * Hand-written: cdk-monitoring-constructs has no SLO or burn-rate alarms.
 */
import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { errorBudget } from '../../contract/slo';
import type { AlarmCondition, BurnRateWindowPair, MathSpec, MetricSpec } from './model';

export interface BurnRateWindows {
  readonly factor: number;
  readonly long: Duration;
  readonly short: Duration;
}

export const BURN_RATE_WINDOWS: readonly BurnRateWindows[] = [
  { factor: 14.4, long: Duration.hours(1), short: Duration.minutes(5) },
  { factor: 6, long: Duration.hours(6), short: Duration.minutes(30) },
];

export { errorBudget };

/**
 * Both window pairs, each window one alarm with a single datapoint of the window's length; `breach`
 * gives the signal and threshold for burning faster than `factor`.
 */
function windowPairs(
  breach: (factor: number) => Pick<AlarmCondition, 'signal' | 'threshold' | 'sampleGuard'>,
  missingDataReason: string,
): BurnRateWindowPair[] {
  const condition = (window: Duration, factor: number): AlarmCondition => ({
    ...breach(factor),
    period: window,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    missingDataReason,
  });
  return BURN_RATE_WINDOWS.map(({ factor, long, short }) => ({ factor, long: condition(long, factor), short: condition(short, factor) }));
}

/**
 * Ratio SLI: the burn rate is (bad / (good + bad)) / budget. FILL(…, 0) makes a window with only good
 * or only bad items count, and a window with no items at all burns nothing (0, not a division by zero).
 * A window counts only with more than one bad item: on a quiet pipeline a single dead letter would
 * otherwise be a 100% failure ratio, and that one item is the dead-lettered alarm's page, not this one's.
 */
export function ratioBurnRateWindows(sli: { bad: MetricSpec; good: MetricSpec }, targetPercent: number): BurnRateWindowPair[] {
  const budget = errorBudget(targetPercent);
  const signal: MathSpec = {
    expression: `IF(FILL(good, 0) + FILL(bad, 0) > 0, FILL(bad, 0) / (FILL(good, 0) + FILL(bad, 0)) / ${budget}, 0)`,
    usingMetrics: { good: sli.good, bad: sli.bad },
    label: 'burn rate (× budget)',
  };
  return windowPairs(
    (factor) => ({ signal, threshold: factor, sampleGuard: { moreThan: 1, metricId: 'bad' } }),
    'FILL(…, 0) yields a datapoint whenever either metric has one; no items at all burns no budget.',
  );
}

/**
 * The percentile whose value exceeds the bound exactly when more than `factor × budget` of the items are
 * slower than the bound: 99% target, 14.4 × → more than 14.4% slow ⇔ p85.6 above the bound.
 */
export function burnPercentile(targetPercent: number, factor: number): string {
  const percentile = Number((100 - factor * (100 - targetPercent)).toFixed(2));
  if (percentile <= 0) throw new Error(`a ${targetPercent}% target burning ${factor}× faster leaves no percentile to watch`);
  return `p${percentile}`;
}

/**
 * Latency SLI ("target % of items within the bound") from the latency metric alone: CloudWatch metric
 * math cannot count values above a bound without TC()/PR() extended statistics, but a percentile can
 * tell whether more than a given share of the values lies above it (see burnPercentile). Each window
 * watches `latency` with its own percentile in place of the given statistic, and counts only with more
 * than 1 / (factor × budget) items: then a breach means at least two late items, never a single one.
 */
export function latencyBurnRateWindows(latency: MetricSpec, targetPercent: number, bound: Duration): BurnRateWindowPair[] {
  return windowPairs(
    (factor) => ({
      signal: { ...latency, statistic: burnPercentile(targetPercent, factor) },
      threshold: bound.toMilliseconds(),
      sampleGuard: { moreThan: Math.floor(1 / (factor * errorBudget(targetPercent))) },
    }),
    'Latency is emitted per finished item: no items finished, none was late.',
  );
}
