/** Cold-start floor, step d: step c plus the Powertools tracer (the X-Ray SDK under it) capturing the handler. */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';

const serviceName = 'reference-tracer';
const logger = new Logger({ serviceName });
const metrics = new Metrics({ serviceName });
const tracer = new Tracer({ serviceName });

export const handler = middy(async () => {
  logger.info('answered');
  metrics.addMetric('Answered', MetricUnit.Count, 1);
  return { statusCode: 200 };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
