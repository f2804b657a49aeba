/**
 * Cold-start floor, step e: step d plus a DynamoDB document client captured by the tracer, reading one
 * status item: the least a Tidewatch API handler with its required libraries can be.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../../contract/env';

const serviceName = 'reference-floor';
const logger = new Logger({ serviceName });
const metrics = new Metrics({ serviceName });
const tracer = new Tracer({ serviceName });
const documents = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const { Item } = await documents.send(new GetCommand({ TableName: process.env[ENV.statusTable], Key: { id: event.pathParameters?.id }, ConsistentRead: true }));
  logger.info('answered');
  metrics.addMetric('Answered', MetricUnit.Count, 1);
  return { statusCode: Item ? 200 : 404 };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
