/** Cold-start floor, step b: a bare handler plus the Powertools logger (with its Lambda context) writing one INFO line. */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

const logger = new Logger({ serviceName: 'reference-logger' });

export const handler = middy(async () => {
  logger.info('answered');
  return { statusCode: 200 };
}).use(injectLambdaContext(logger, { resetKeys: true }));
