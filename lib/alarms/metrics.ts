/**
 * The metrics the alarms and the dashboard watch, as MetricSpecs: Tidewatch's own (namespace
 * `Tidewatch`, dimensions `service` + `stage`, as handlers/shared/powertools.ts emits them) and the ones
 * SQS, Lambda and API Gateway publish.
 */
import { METRICS_NAMESPACE } from '../../contract/metrics';
import type { MetricSpec } from './model';

/** A metric a handler emits through Powertools; `service` is the handler's name, e.g. `file-worker`. */
export function tidewatchMetric(metricName: string, service: string, stage: string, statistic: string): MetricSpec {
  return { namespace: METRICS_NAMESPACE, metricName, dimensions: { service, stage }, statistic };
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
