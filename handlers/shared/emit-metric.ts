/**
 * Emits one of the contract's metrics (contract/metrics.ts): its name, unit and resolution come from the
 * one typed list the alarms and dashboards read too, so the two sides cannot drift apart.
 */
import { MetricResolution, type Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricDefinition } from '../../contract/metrics';

export function emit(metrics: Metrics, metric: MetricDefinition, value: number): void {
  metrics.addMetric(metric.name, metric.unit, value, metric.resolution === 'high' ? MetricResolution.High : MetricResolution.Standard);
}
