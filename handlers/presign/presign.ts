/**
 * POST /presign: validates `{fileName?, contentType?, size?}` and answers a presigned S3 PUT URL for
 * `uploads/<fileId>/<safe name>`. A declared content type and size are signed into the URL (S3 refuses
 * a PUT whose Content-Type or Content-Length differ) and listed in `headers` for the client to send.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { METRICS } from '../../contract/metrics';
import { uploadKeyOf } from '../../contract/s3-layout';
import { emit } from '../shared/emit-metric';
import { describeIssues } from '../shared/errors';
import { errorResponse, HttpError, jsonResponse, readJsonBody } from '../shared/http';
import * as z from '../shared/zod-mini';
import { fileNameProblem, generatedFileName } from './file-name';
import type { UploadUrlSigner } from './upload-url-signer';

/** POST /presign bodies are three short fields; anything larger is not a presign request. */
const MAX_PRESIGN_BODY_BYTES = 4096;
/** A media type with its parameters (`text/csv; charset=utf-8; header=present`) is far shorter. */
const MAX_CONTENT_TYPE_LENGTH = 256;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export interface PresignSettings {
  readonly bucket: string;
  /** Key prefix of uploads, with its trailing slash (`uploads/`). */
  readonly expirySeconds: number;
  readonly maxUploadBytes: number;
  /** Media types a client may declare (compared case-insensitively, parameters such as `charset` aside). */
  readonly allowedContentTypes: readonly string[];
}

export interface PresignDeps extends PresignSettings {
  readonly signUploadUrl: UploadUrlSigner;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export interface PresignedUpload {
  readonly uploadUrl: string;
  readonly method: 'PUT';
  /** Headers the client must send with the PUT, exactly as given (they are signed). */
  readonly headers: Record<string, string>;
  readonly fileId: string;
  readonly s3Key: string;
  readonly expiresAt: string;
}

export type PresignRequest = z.infer<ReturnType<typeof presignRequestSchema>>;

/** The error code of a failed field: the first issue's field decides it. */
const FIELD_ERRORS: Record<string, string> = { fileName: 'InvalidFileName', contentType: 'UnsupportedContentType', size: 'InvalidSize' };

export async function presign(event: APIGatewayProxyEventV2, deps: PresignDeps): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const request = parsePresignRequest(readJsonBody(event, MAX_PRESIGN_BODY_BYTES), deps);
    const upload = await createUpload(request, deps);
    emit(deps.metrics, METRICS.uploadsPresigned, 1);
    deps.logger.info('upload presigned', { s3Key: upload.s3Key, expiresAt: upload.expiresAt, contentType: request.contentType, size: request.size });
    return jsonResponse(200, upload);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    deps.logger.warn('presign request rejected', { statusCode: error.statusCode, error: error.code, reason: error.message });
    return errorResponse(error);
  }
}

/** The body (absent = all defaults) as a valid request, or a 400 naming each problem. */
export function parsePresignRequest(body: unknown, settings: PresignSettings): PresignRequest {
  const parsed = presignRequestSchema(settings).safeParse(body === undefined ? {} : body);
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? '');
  throw new HttpError(400, FIELD_ERRORS[field] ?? 'InvalidRequest', describeIssues(parsed.error.issues));
}

function presignRequestSchema({ allowedContentTypes, maxUploadBytes }: PresignSettings) {
  const allowed = new Set(allowedContentTypes.map((type) => type.trim().toLowerCase()));
  return z.strictObject({
    fileName: z.optional(
      z.string().check(
        z.superRefine((name, context) => {
          const problem = fileNameProblem(name);
          if (problem) context.addIssue({ code: 'custom', message: problem });
        }),
      ),
    ),
    contentType: z.optional(
      z.string().check(
        z.maxLength(MAX_CONTENT_TYPE_LENGTH),
        // It becomes a signed header the client sends as given: HTTP header values are printable ASCII.
        z.regex(PRINTABLE_ASCII, 'must be printable ASCII text, as an HTTP header value is'),
        z.refine((type) => allowed.has(mediaType(type)), `must be one of ${[...allowed].join(', ')}`),
      ),
    ),
    size: z.optional(z.number().check(z.int(), z.positive(), z.maximum(maxUploadBytes, `is over the upload limit of ${maxUploadBytes} bytes`))),
  });
}

/** `Text/CSV; charset=utf-8` → `text/csv`. */
function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

async function createUpload(request: PresignRequest, deps: PresignDeps): Promise<PresignedUpload> {
  const now = new Date();
  const fileId = randomUUID();
  deps.logger.appendKeys({ fileId });
  deps.tracer.putAnnotation('fileId', fileId);
  const s3Key = uploadKeyOf(fileId, request.fileName ?? generatedFileName(now));
  const headers: Record<string, string> = {};
  if (request.contentType !== undefined) headers['Content-Type'] = request.contentType;
  if (request.size !== undefined) headers['Content-Length'] = String(request.size);
  // Neither Content-Type nor Content-Length is an x-amz-* header, so neither is hoisted into the query:
  // the client sends them as headers.
  const uploadUrl = await deps.signUploadUrl({ bucket: deps.bucket, key: s3Key, headers, expiresInSeconds: deps.expirySeconds });
  return { uploadUrl, method: 'PUT', headers, fileId, s3Key, expiresAt: new Date(now.getTime() + deps.expirySeconds * 1000).toISOString() };
}
