/** Job worker (SQS jobs queue): Powertools and client wiring only; the logic is in job-processor.ts. */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { requireEnv, requireNumberEnv } from '../shared/env';
import { FailurePolicy } from '../shared/failure-policy';
import { instrument, instrumented } from '../shared/powertools';
import { StatusStore } from '../shared/status-store';
import { JobProcessor } from './job-processor';

const instrumentation = instrument('job-worker');
const { logger, metrics, tracer } = instrumentation;
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const store = new StatusStore(DynamoDBDocumentClient.from(dynamodb), requireEnv('statusTable'));

const processor = new JobProcessor({
  store,
  failures: new FailurePolicy({
    store,
    sqs,
    queueUrl: requireEnv('queueUrl'),
    metrics,
    logger,
    policy: { maxReceiveCount: requireNumberEnv('maxReceiveCount'), backoffBaseSeconds: requireNumberEnv('retryBackoffBaseSeconds') },
  }),
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: requireEnv('idempotencyTable'), awsSdkV3Client: dynamodb }),
  logger,
  metrics,
  tracer,
});

export const handler = instrumented(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processor.processBatch(event, context),
  instrumentation,
);
