/** The Powertools and client wiring of a function that reads status items by id (GET /jobs/{id}, GET /files/{id}). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requireEnv } from './env';
import type { ItemStatusDeps } from './item-status';
import { instrument, instrumented } from './powertools';
import { StatusStore } from './status-store';

export function itemStatusHandler(serviceName: string, read: (event: APIGatewayProxyEventV2, deps: ItemStatusDeps) => Promise<APIGatewayProxyStructuredResultV2>) {
  const instrumentation = instrument(serviceName);
  const { logger, tracer } = instrumentation;
  const deps: ItemStatusDeps = {
    store: new StatusStore(DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))), requireEnv('statusTable')),
    logger,
    tracer,
  };
  return instrumented((event: APIGatewayProxyEventV2) => read(event, deps), instrumentation);
}
