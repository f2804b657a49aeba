/** GET /jobs/{id} (HTTP API): Powertools and client wiring only; the logic is in job-status.ts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requireEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { StatusStore } from '../shared/status-store';
import { getJobStatus, type JobStatusDeps } from './job-status';

const instrumentation = instrument('job-status');
const { logger, tracer } = instrumentation;
const deps: JobStatusDeps = {
  store: new StatusStore(DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))), requireEnv('statusTable')),
  logger,
  tracer,
};

export const handler = instrumented((event: APIGatewayProxyEventV2) => getJobStatus(event, deps), instrumentation);
