/**
 * File worker entry: wires Powertools (logger with the Lambda context, metrics with the cold-start metric,
 * tracer) and the SDK clients, created once per execution environment and captured by the tracer.
 * The behaviour lives in ./worker.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { instrument } from '../shared/powertools';
import { StatusStore } from '../shared/status-store';
import { readFileWorkerSettings } from './settings';
import { createFileWorker } from './worker';

const settings = readFileWorkerSettings();
const instrumentation = instrument('file-worker');
const { logger, metrics, tracer } = instrumentation;

const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const store = new StatusStore(DynamoDBDocumentClient.from(dynamo), settings.statusTableName);

export const handler = middy(createFileWorker({ s3, sqs, dynamo, store, settings, instrumentation }))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
