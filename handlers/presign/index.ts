/** POST /presign (HTTP API): Powertools and client wiring only; the logic is in presign.ts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requireEnv, requireNumberEnv } from '../shared/env';
import { instrument } from '../shared/powertools';
import { presign, type PresignDeps } from './presign';

const { logger, metrics, tracer } = instrument('presign');
const deps: PresignDeps = {
  // By default the SDK adds a CRC32 checksum of the (empty) presign-time body to the URL, which the real
  // upload then fails; a presigned PUT carries no checksum unless the operation requires one.
  s3: tracer.captureAWSv3Client(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' })),
  bucket: requireEnv('bucket'),
  uploadPrefix: requireEnv('uploadPrefix'),
  expirySeconds: requireNumberEnv('presignExpirySeconds'),
  maxUploadBytes: requireNumberEnv('maxUploadBytes'),
  allowedContentTypes: requireEnv('allowedContentTypes')
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== ''),
  logger,
  metrics,
  tracer,
};

export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => presign(event, deps))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
