/**
 * Metrics that should have data but had none: a series is only missing when a sibling shows the work
 * it measures happened (items processed without an end-to-end latency, messages sent without a queue
 * age). Counts without datapoints are just a quiet week, never "missing".
 */
import type { Measure } from './metric-plan';
import type { MetricReadings } from './metric-readings';

/** A measure expected to have data whenever its witness has a non-zero total. */
const EXPECTATIONS: ReadonlyArray<{ readonly measure: Measure; readonly witness: Measure }> = [
  { measure: 'latencyCount', witness: 'processed' },
  { measure: 'ageWorst', witness: 'in' },
  { measure: 'invocations', witness: 'processed' },
  { measure: 'durationP99', witness: 'invocations' },
  { measure: 'apiLatencyP99', witness: 'requests' },
];

export function missingData(readings: MetricReadings): string[] {
  return readings.empty.flatMap((planned) => {
    const expectation = EXPECTATIONS.find(({ measure }) => measure === planned.measure);
    if (!expectation || !readings.planned(planned.subject, expectation.witness)) return [];
    const active = readings.series(planned.subject, expectation.witness).values.some((value) => value > 0);
    return active ? [`${planned.subject}: ${planned.description}`] : [];
  });
}
