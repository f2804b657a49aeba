/**
 * One place that builds the Powertools logger, metrics and tracer for a handler, so every function
 * logs JSON with the same keys, emits EMF into the one `Tidewatch` namespace with the same default
 * dimensions (`service`, `stage`, and `queue` for a worker) and traces its SDK clients.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

import { ENV } from '../../contract/env';
import { DIMENSIONS, METRICS_NAMESPACE } from '../../contract/metrics';
import { DEFAULT_STAGE } from '../../contract/naming';
import { mapLambdaStackTraces } from './lazy-source-maps';

export interface Instrumentation {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * Builds the instrumentation of one function; `serviceName` is its short name, e.g. `file-worker`.
 * A worker passes its work queue (WORK_QUEUE_NAME): a default dimension of every metric and a key of
 * every log line, so two queues run by the same worker code never share a metric series. API handlers
 * pass none and keep `service` + `stage`.
 */
export function instrument(serviceName: string, env: NodeJS.ProcessEnv = process.env, queue?: string): Instrumentation {
  // Built once at init by every function: from then on its logged stacks name the TypeScript sources.
  mapLambdaStackTraces(env);
  const dimensions = { [DIMENSIONS.stage]: env[ENV.stage] ?? DEFAULT_STAGE, ...(queue === undefined ? {} : { [DIMENSIONS.queue]: queue }) };
  return {
    logger: new Logger({ serviceName, persistentKeys: dimensions }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: dimensions }),
    tracer: new Tracer({ serviceName }),
  };
}

/**
 * Wraps a handler with the Powertools middlewares every function uses: a traced invocation, the Lambda
 * context (and request id) on every log line with per-invocation keys cleared afterwards, and metrics
 * flushed as EMF at the end of each invocation, with the ColdStart metric on the first.
 */
export function instrumented<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>, { logger, metrics, tracer }: Instrumentation) {
  return middy(handler)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
