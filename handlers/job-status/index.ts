/** GET /jobs/{id} (HTTP API): Powertools and client wiring only; the logic is in job-status.ts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requireEnv } from '../shared/env';
import { instrument } from '../shared/powertools';
import { StatusStore } from '../shared/status-store';
import { getJobStatus, type JobStatusDeps } from './job-status';

const { logger, metrics, tracer } = instrument('job-status');
const deps: JobStatusDeps = {
  store: new StatusStore(DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))), requireEnv('statusTable')),
  logger,
  tracer,
};

export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => getJobStatus(event, deps))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
