/** The redrive function (CLI, dashboard widget, its own chunks): Powertools and client wiring only; the logic is in handle.ts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { DIMENSIONS } from '../../contract/metrics';
import { emit } from '../shared/emit-metric';
import { instrument, instrumented } from '../shared/powertools';
import { archiveTo } from './archive';
import { DeadLetterQueue } from './dead-letter-queue';
import { handleEvent } from './handle';
import { QueueLease } from './lease';
import { Ledger } from './ledger';
import { MoveTasks } from './move-task';
import { sendBackTo } from './send-back';
import { readRedriveSettings } from './settings';
import { statusItems } from './status-items';
import { topFailureReasons } from './widget/failure-reasons';
import type { WidgetDeps } from './widget/widget';

const instrumentation = instrument('redrive');
const { logger, metrics, tracer } = instrumentation;
const settings = readRedriveSettings();
const dynamoDb = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const lambda = tracer.captureAWSv3Client(new LambdaClient({}));
// Set by Lambda (and the local cloud) for every function: a run's next chunk is this function's own invocation.
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;

const deps: WidgetDeps = {
  queues: settings.queues,
  bucket: settings.bucket,
  ledger: new Ledger(dynamoDb, settings.ledgerTableName),
  lease: new QueueLease(dynamoDb, settings.ledgerTableName),
  moveTasks: new MoveTasks(sqs),
  dlq: (queue) => new DeadLetterQueue(sqs, queue.deadLetterQueueUrl),
  statusItems: (ids) => statusItems(dynamoDb, settings.statusTableName, ids),
  sink: (kind, queue, runId) => (kind === 'archive' ? archiveTo(s3, { bucket: settings.bucket, queue: queue.name, runId }) : sendBackTo(sqs, queue.queueUrl)),
  continueRun: async (event) => {
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(event) }));
  },
  count: (queue, metric, value) => {
    const single = metrics.singleMetric();
    single.addDimension(DIMENSIONS.queue, queue);
    emit(single, metric, value);
  },
  topFailureReasons: (queue) => topFailureReasons(dynamoDb, settings.statusTableName, queue, new Date()),
  logger,
};

export const handler = instrumented((event: unknown, context: Context) => handleEvent(event, deps, context), instrumentation);
