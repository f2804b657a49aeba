/**
 * How one metric alarm's datapoints decide its state, following CloudWatch's documented rules for
 * missing data ("How alarm state is evaluated when data is missing", CloudWatch User Guide):
 * CloudWatch looks at an evaluation range longer than EvaluationPeriods (here N + 2 periods, the
 * range of the guide's examples) and
 * - with at least N real datapoints in the range, evaluates the N most recent ones and ignores
 *   TreatMissingData;
 * - with fewer, `breaching` / `notBreaching` fill the missing ones up to N (every real datapoint of
 *   the range still counts);
 * - with fewer and `missing` / `ignore`: no datapoint at all gives INSUFFICIENT_DATA / the current
 *   state; M breaching datapoints give ALARM; any non-breaching one gives OK; otherwise (only a few
 *   breaching ones) `ignore` keeps the state and `missing` gives ALARM once the metric has stopped
 *   (the last N periods are empty: the last data breached) or INSUFFICIENT_DATA while data is still
 *   arriving. This reproduces every row of the guide's two example tables (see the tests).
 */
import type { AlarmState, ComparisonOperator, TreatMissingData } from './alarm-model';
import type { Slots } from './math-evaluator';

/** Periods CloudWatch looks back beyond EvaluationPeriods when datapoints are missing. */
export const EXTRA_EVALUATION_PERIODS = 2;

export interface EvaluationInput {
  /** The evaluation range, oldest period first: N + EXTRA_EVALUATION_PERIODS slots. */
  readonly slots: Slots;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  readonly comparisonOperator: ComparisonOperator;
  readonly threshold: number;
  readonly currentState: AlarmState;
}

export interface EvaluatedDatapoint {
  /** Index in the range's slots. */
  readonly index: number;
  /** `undefined` for a missing datapoint filled by TreatMissingData. */
  readonly value: number | undefined;
  readonly breaching: boolean;
}

export interface EvaluationOutcome {
  readonly state: AlarmState;
  /** The datapoints that decided, newest first. */
  readonly evaluated: readonly EvaluatedDatapoint[];
  readonly breachingCount: number;
  /** How many missing datapoints TreatMissingData filled. */
  readonly filledCount: number;
}

export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

export function evaluateAlarm(input: EvaluationInput): EvaluationOutcome {
  const { slots, evaluationPeriods: n, datapointsToAlarm: m, treatMissingData } = input;
  const real: EvaluatedDatapoint[] = [];
  slots.forEach((value, index) => {
    if (value !== undefined) real.push({ index, value, breaching: breaches(value, input.comparisonOperator, input.threshold) });
  });
  real.reverse(); // newest first
  const decide = (evaluated: EvaluatedDatapoint[], filledCount = 0, fallback?: AlarmState): EvaluationOutcome => {
    const breachingCount = evaluated.filter((d) => d.breaching).length;
    const state = fallback ?? (breachingCount >= m ? 'ALARM' : 'OK');
    return { state, evaluated, breachingCount, filledCount };
  };

  if (real.length >= n) return decide(real.slice(0, n));

  if (treatMissingData === 'breaching' || treatMissingData === 'notBreaching') {
    const missingIndexes = slots.map((v, i) => (v === undefined ? i : -1)).filter((i) => i >= 0).reverse();
    const filled = missingIndexes
      .slice(0, n - real.length)
      .map((index) => ({ index, value: undefined, breaching: treatMissingData === 'breaching' }));
    return decide([...real, ...filled].sort((a, b) => b.index - a.index), filled.length);
  }

  const keepOrUnknown: AlarmState = treatMissingData === 'ignore' ? input.currentState : 'INSUFFICIENT_DATA';
  if (real.length === 0) return decide(real, 0, keepOrUnknown);
  const outcome = decide(real);
  if (outcome.breachingCount >= m || real.some((d) => !d.breaching)) return outcome;
  const metricStopped = real[0].index < slots.length - n;
  return decide(real, 0, treatMissingData === 'missing' && metricStopped ? 'ALARM' : keepOrUnknown);
}
