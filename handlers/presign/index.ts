/** POST /presign (HTTP API): Powertools and client wiring only; the logic is in presign.ts. */
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requireEnv, requireNumberEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { presign, type PresignDeps } from './presign';

const instrumentation = instrument('presign');
const { logger, metrics, tracer } = instrumentation;
const deps: PresignDeps = {
  // By default the SDK adds a CRC32 checksum of the (empty) presign-time body to the URL, which the real
  // upload then fails; a presigned PUT carries no checksum unless the operation requires one.
  s3: tracer.captureAWSv3Client(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' })),
  bucket: requireEnv('bucket'),
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

export const handler = instrumented((event: APIGatewayProxyEventV2) => presign(event, deps), instrumentation);
