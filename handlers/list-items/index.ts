/** GET /items (HTTP API): Powertools and client wiring only; the logic is in list-items.ts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseWorkQueueNames } from '../../contract/outputs';
import { requireEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { listItems, type ListItemsDeps } from './list-items';

const instrumentation = instrument('list-items');
const { logger, tracer } = instrumentation;
const deps: ListItemsDeps = {
  client: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
  tableName: requireEnv('statusTable'),
  queues: parseWorkQueueNames(requireEnv('workQueueNames')),
  logger,
};

export const handler = instrumented((event: APIGatewayProxyEventV2) => listItems(event, deps), instrumentation);
