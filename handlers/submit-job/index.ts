/** POST /jobs (HTTP API): Powertools and client wiring only; the logic is in submit-job.ts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requireEnv, requireNumberEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { StatusStore } from '../shared/status-store';
import { readJobQueues } from './job-queues';
import { submitJob, type SubmitJobDeps } from './submit-job';

const instrumentation = instrument('submit-job');
const { logger, metrics, tracer } = instrumentation;
const deps: SubmitJobDeps = {
  store: new StatusStore(DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))), requireEnv('statusTable')),
  sqs: tracer.captureAWSv3Client(new SQSClient({})),
  queues: readJobQueues(),
  maxBodyBytes: requireNumberEnv('maxJobBodyBytes'),
  logger,
  metrics,
  tracer,
};

export const handler = instrumented((event: APIGatewayProxyEventV2) => submitJob(event, deps), instrumentation);
