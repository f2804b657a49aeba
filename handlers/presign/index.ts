/** POST /presign (HTTP API): Powertools and client wiring only; the logic is in presign.ts. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requireEnv, requireNumberEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { presign, type PresignDeps } from './presign';
import { uploadUrlSigner } from './upload-url-signer';

const instrumentation = instrument('presign');
const { logger, metrics, tracer } = instrumentation;
const deps: PresignDeps = {
  // Presigning sends no request, so there is no SDK call to trace; the URL carries no checksum.
  signUploadUrl: uploadUrlSigner(),
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
