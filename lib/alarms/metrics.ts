/**
 * The metric factory of the alarms and the dashboard: the metrics they watch as MetricSpecs, Tidewatch's
 * own (from the contract's typed list, with exactly the dimensions the handlers emit them with) and the
 * ones SQS, Lambda and API Gateway publish.
 */
import { DIMENSIONS, METRICS_NAMESPACE, type DimensionName, type MetricDefinition } from '../../contract/metrics';
import type { WorkerName } from '../../contract/workers';
import type { MetricSpec } from './model';

/** A metric a handler emits through Powertools, with the dimension values it is emitted with. */
export function tidewatchMetric(definition: MetricDefinition, values: Readonly<Record<DimensionName, string | undefined>>, statistic: string): MetricSpec {
  const dimensions = Object.fromEntries(
    definition.dimensions.map((name) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${definition.name} is emitted with a ${name} dimension: give its value`);
      return [DIMENSIONS[name], value];
    }),
  );
  return { namespace: METRICS_NAMESPACE, metricName: definition.name, dimensions, statistic };
}

/** The metrics a work queue's worker emits: `service` is the worker kind, `queue` the queue's name. */
export function workerMetric(queue: { readonly name: string; readonly worker: WorkerName }, stage: string): (definition: MetricDefinition, statistic: string) => MetricSpec {
  return (definition, statistic) => tidewatchMetric(definition, { service: queue.worker, stage, queue: queue.name }, statistic);
}

export function sqsMetric(metricName: string, queueName: string, statistic: string): MetricSpec {
  return { namespace: 'AWS/SQS', metricName, dimensions: { QueueName: queueName }, statistic };
}

export function lambdaMetric(metricName: string, functionName: string, statistic: string): MetricSpec {
  return { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName }, statistic };
}

/** An HTTP API's metric over all its stages and routes. */
export function httpApiMetric(metricName: string, apiId: string, statistic: string): MetricSpec {
  return { namespace: 'AWS/ApiGateway', metricName, dimensions: { ApiId: apiId }, statistic };
}
