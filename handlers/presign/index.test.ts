import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';
import type { PresignedUpload } from './presign';

Object.assign(process.env, POWERTOOLS_TEST_ENV, {
  BUCKET_NAME: 'tidewatch-uploads',
  UPLOAD_PREFIX: 'uploads/',
  PRESIGN_EXPIRY_SECONDS: '300',
  MAX_UPLOAD_BYTES: '1000',
  ALLOWED_CONTENT_TYPES: 'text/csv, application/csv',
});
const { handler } = await import('./index');

const NOW = new Date('2030-01-02T03:04:05.678Z');
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
let output: CapturedOutput;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  output = captureOutput();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function post(body: string | undefined, overrides: Partial<APIGatewayProxyEventV2> = {}) {
  const event = httpEvent({ routeKey: 'POST /presign', rawPath: '/presign', body, ...overrides });
  const result = (await handler(event, lambdaContext('presign'))) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

function signedUrl(upload: PresignedUpload): URL {
  return new URL(upload.uploadUrl);
}

describe('POST /presign', () => {
  it('presigns a PUT of uploads/<fileId>/<name> that signs the declared type and size', async () => {
    const response = await post(JSON.stringify({ fileName: 'sales 2030.csv', contentType: 'text/csv', size: 512 }));

    expect(response.statusCode).toBe(200);
    const upload = response.json as unknown as PresignedUpload;
    expect(upload.s3Key).toMatch(new RegExp(`^uploads/${UUID}/sales 2030\\.csv$`));
    expect(upload.s3Key).toBe(`uploads/${upload.fileId}/sales 2030.csv`);
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/csv', 'Content-Length': '512' }, expiresAt: '2030-01-02T03:09:05.678Z' });

    const url = signedUrl(upload);
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe('tidewatch-uploads.s3.us-east-1.amazonaws.com');
    expect(decodeURIComponent(url.pathname)).toBe(`/${upload.s3Key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20300102T030405Z');
    // S3 recomputes the signature over these headers: a PUT with another type or size is refused.
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // Neither header was hoisted into the query (then it would not bind the client's request headers),
    // and no checksum of the empty presign-time body rides along to fail the real upload.
    expect([...url.searchParams.keys()].filter((key) => /^content-(type|length)$|checksum/i.test(key))).toEqual([]);

    expect(output.logs().find((line) => line.message === 'upload presigned')).toMatchObject({ fileId: upload.fileId, s3Key: upload.s3Key, service: 'presign' });
    expect(emittedMetric(output.emf(), 'UploadsPresigned')[0]?.document).toMatchObject({ service: 'presign', stage: 'test', UploadsPresigned: 1 });
  });

  it.each([
    ['no body', undefined],
    ['an empty body', ''],
    ['an empty object', '{}'],
  ])('accepts %s with a generated name and nothing signed but the host', async (_case, body) => {
    const response = await post(body);

    expect(response.statusCode).toBe(200);
    const upload = response.json as unknown as PresignedUpload;
    expect(upload.s3Key).toMatch(new RegExp(`^uploads/${UUID}/upload-20300102T030405678Z\\.csv$`));
    expect(upload.headers).toEqual({});
    expect(signedUrl(upload).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });

  it('accepts an allowed type in any case with parameters, and signs it exactly as declared', async () => {
    const response = await post(JSON.stringify({ contentType: 'Application/CSV; charset=utf-8' }));

    expect(response.statusCode).toBe(200);
    const upload = response.json as unknown as PresignedUpload;
    expect(upload.headers).toEqual({ 'Content-Type': 'Application/CSV; charset=utf-8' });
    expect(signedUrl(upload).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
  });

  it('signs a declared size alone, leaving the type free', async () => {
    const upload = (await post('{"size":10}')).json as unknown as PresignedUpload;

    expect(upload.headers).toEqual({ 'Content-Length': '10' });
    expect(signedUrl(upload).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
  });

  it('gives every upload its own fileId', async () => {
    const first = (await post('{"fileName":"a.csv"}')).json;
    const second = (await post('{"fileName":"a.csv"}')).json;
    expect(first.fileId).not.toBe(second.fileId);
  });

  it.each([
    ['a path separator', { fileName: 'reports/a.csv' }, 'InvalidFileName', 'fileName: must not contain a path separator (/ or \\)'],
    ['a backslash', { fileName: '..\\a.csv' }, 'InvalidFileName', 'fileName: must not contain a path separator (/ or \\)'],
    ['a dot-dot', { fileName: '..' }, 'InvalidFileName', 'fileName: must not contain ".."'],
    ['a control character', { fileName: 'a\u0007.csv' }, 'InvalidFileName', 'fileName: must not contain control characters'],
    ['a name over 255 bytes', { fileName: `${'ü'.repeat(126)}.csv` }, 'InvalidFileName', 'fileName: is 256 bytes in UTF-8; the limit is 255'],
    ['an empty name', { fileName: '' }, 'InvalidFileName', 'fileName: must not be empty'],
    ['a lone high surrogate', { fileName: '\ud800.csv' }, 'InvalidFileName', 'fileName: must be well-formed Unicode text (it holds a lone surrogate, \\ud800)'],
    ['a lone low surrogate', { fileName: 'a\udc00b.csv' }, 'InvalidFileName', 'fileName: must be well-formed Unicode text (it holds a lone surrogate, \\udc00)'],
    ['a name that is not a string', { fileName: 42 }, 'InvalidFileName', 'fileName: Invalid input: expected string, received number'],
    ['a type outside the list', { contentType: 'application/pdf' }, 'UnsupportedContentType', 'contentType: must be one of text/csv, application/csv'],
    ['a size over the limit', { size: 1001 }, 'InvalidSize', 'size: is over the upload limit of 1000 bytes'],
    ['a zero size', { size: 0 }, 'InvalidSize', 'size: Too small: expected number to be >0'],
    ['a fractional size', { size: 1.5 }, 'InvalidSize', 'size: Invalid input: expected int, received number'],
    ['a size given as a string', { size: '100' }, 'InvalidSize', 'size: Invalid input: expected number, received string'],
    ['an unknown field', { fileName: 'a.csv', bucket: 'other' }, 'InvalidRequest', 'Unrecognized key: "bucket"'],
    ['a body that is not an object', ['a.csv'], 'InvalidRequest', 'Invalid input: expected object, received array'],
    ['a null body', null, 'InvalidRequest', 'Invalid input: expected object, received null'],
  ])('answers 400 for %s', async (_case, body, error, message) => {
    const response = await post(JSON.stringify(body));

    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ error, message });
    expect(output.logs().find((line) => line.message === 'presign request rejected')).toMatchObject({ error, statusCode: 400 });
  });

  it('names every problem of a request at once', async () => {
    const response = await post(JSON.stringify({ fileName: 'a/b', size: -1 }));

    expect(response.json).toEqual({
      error: 'InvalidFileName',
      message: 'fileName: must not contain a path separator (/ or \\); size: Too small: expected number to be >0',
    });
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await post('{"fileName": ');

    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ error: 'MalformedJson', message: expect.stringMatching(/^request body is not valid JSON: /) });
  });

  it('answers 413 for a body far larger than any presign request', async () => {
    const response = await post(JSON.stringify({ fileName: 'a'.repeat(5000) }));

    expect(response.statusCode).toBe(413);
    expect(response.json.error).toBe('PayloadTooLarge');
  });
});
