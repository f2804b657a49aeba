/** POST /jobs (HTTP API): Powertools and client wiring only; the logic is in submit-job.ts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requireEnv, requireNumberEnv } from '../shared/env';
import { instrument } from '../shared/powertools';
import { StatusStore } from '../shared/status-store';
import { submitJob, type SubmitJobDeps } from './submit-job';

const { logger, metrics, tracer } = instrument('submit-job');
const deps: SubmitJobDeps = {
  store: new StatusStore(DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))), requireEnv('statusTable')),
  sqs: tracer.captureAWSv3Client(new SQSClient({})),
  queueUrl: requireEnv('queueUrl'),
  maxBodyBytes: requireNumberEnv('maxJobBodyBytes'),
  logger,
  metrics,
  tracer,
};

export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => submitJob(event, deps))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
