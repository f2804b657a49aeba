/**
 * One place that builds the Powertools logger, metrics and tracer for a handler, so every function
 * logs JSON with the same keys, emits EMF into the one `Tidewatch` namespace with the same default
 * dimensions (`service`, `stage`) and traces its SDK clients.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

import { METRICS_NAMESPACE } from '../../contract/metrics';

export interface Instrumentation {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** Builds the instrumentation of one function; `serviceName` is its short name, e.g. `file-worker`. */
export function instrument(serviceName: string, env: NodeJS.ProcessEnv = process.env): Instrumentation {
  const stage = env.TIDEWATCH_STAGE ?? 'dev';
  return {
    logger: new Logger({ serviceName, persistentKeys: { stage } }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { stage } }),
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
