/** The weekly review function: Powertools and client wiring only; the work is in review-handler.ts. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv, requireJsonEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { costNotYetComputed } from './monthly-cost';
import { noRedriveLedger } from './redrive-ledger';
import { handleReview, type ReviewHandlerDependencies } from './review-handler';
import { parseReviewSources } from './sources';

const instrumentation = instrument('review');
const { tracer } = instrumentation;
const deps: ReviewHandlerDependencies = {
  cloudWatch: tracer.captureAWSv3Client(new CloudWatchClient({})),
  documents: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
  s3: tracer.captureAWSv3Client(new S3Client({})),
  sns: tracer.captureAWSv3Client(new SNSClient({})),
  bucket: requireEnv('bucket'),
  statusTable: requireEnv('statusTable'),
  reportsTopicArn: requireEnv('reportsTopicArn'),
  sources: parseReviewSources(requireJsonEnv('reviewSources')),
  redriveLedger: noRedriveLedger,
  monthlyCost: costNotYetComputed,
  now: () => new Date(),
};

export const handler = instrumented((event: unknown) => handleReview(event, deps), instrumentation);
