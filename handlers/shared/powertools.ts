/**
 * One place that builds the Powertools logger, metrics and tracer for a handler, so every function
 * logs JSON with the same keys, emits EMF into the one `Tidewatch` namespace with the same default
 * dimensions (`service`, `stage`) and traces its SDK clients.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const METRICS_NAMESPACE = 'Tidewatch';

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
