/** Cold-start floor, step c: step b plus Powertools metrics, one metric and the ColdStart metric flushed as EMF. */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';

const serviceName = 'reference-metrics';
const logger = new Logger({ serviceName });
const metrics = new Metrics({ serviceName });

export const handler = middy(async () => {
  logger.info('answered');
  metrics.addMetric('Answered', MetricUnit.Count, 1);
  return { statusCode: 200 };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
