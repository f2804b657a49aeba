/**
 * Every field of POST /presign, as a client or an adversary may send it: each bad value is a 4xx with a
 * JSON error naming the field, never a 5xx; each valid edge value is presigned, signed as declared.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, POWERTOOLS_TEST_ENV } from '../../test/support/handlers/powertools-output';
import { httpEvent, lambdaContext } from '../../test/support/handlers/lambda-events';
import { MAX_FILE_NAME_BYTES } from './file-name';
import type { PresignedUpload } from './presign';

const MAX_UPLOAD_BYTES = 1000;
Object.assign(process.env, POWERTOOLS_TEST_ENV, {
  BUCKET_NAME: 'tidewatch-uploads',
  UPLOAD_PREFIX: 'uploads/',
  PRESIGN_EXPIRY_SECONDS: '300',
  MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
  ALLOWED_CONTENT_TYPES: 'text/csv, application/csv',
});
const { handler } = await import('./index');

beforeEach(() => {
  captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function post(body: string, overrides: Partial<APIGatewayProxyEventV2> = {}) {
  const event = httpEvent({ routeKey: 'POST /presign', rawPath: '/presign', body, ...overrides });
  const result = (await handler(event, lambdaContext('presign'))) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 0, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

describe('POST /presign refuses every bad input with a 4xx naming it', () => {
  it.each<[string, string, Partial<APIGatewayProxyEventV2>, number, string, RegExp]>([
    // The body
    ['invalid UTF-8', '', { isBase64Encoded: true, body: Buffer.from([0x7b, 0x7d, 0xc3]).toString('base64') }, 400, 'InvalidEncoding', /^request body is not valid UTF-8 text$/],
    ['text that is not JSON', 'fileName=a.csv', {}, 400, 'MalformedJson', /^request body is not valid JSON: /],
    ['a JSON array', '["a.csv"]', {}, 400, 'InvalidRequest', /expected object, received array/],
    ['JSON null', 'null', {}, 400, 'InvalidRequest', /expected object, received null/],
    ['a JSON boolean', 'true', {}, 400, 'InvalidRequest', /expected object, received boolean/],
    ['a body over 4 KiB', JSON.stringify({ fileName: 'a'.repeat(4096) }), {}, 413, 'PayloadTooLarge', /the limit is 4096$/],
    ['nesting deeper than 100 levels', `{"fileName":${'['.repeat(100)}${']'.repeat(100)}}`, {}, 400, 'TooDeeplyNested', /101 levels deep; the limit is 100$/],
    ['an unknown field', '{"bucket":"other"}', {}, 400, 'InvalidRequest', /^Unrecognized key: "bucket"$/],
    ['a "__proto__" key', '{"__proto__":{"fileName":"a.csv"}}', {}, 400, 'ReservedKey', /^__proto__: the key "__proto__" is not accepted$/],
    // fileName
    ['a name that is a number', '{"fileName":42}', {}, 400, 'InvalidFileName', /^fileName: .*expected string, received number$/],
    ['a null name', '{"fileName":null}', {}, 400, 'InvalidFileName', /^fileName: .*received null$/],
    ['an empty name', '{"fileName":""}', {}, 400, 'InvalidFileName', /^fileName: must not be empty$/],
    ['a name of spaces', '{"fileName":"   "}', {}, 400, 'InvalidFileName', /^fileName: must not be empty$/],
    ['a path', '{"fileName":"../etc/passwd"}', {}, 400, 'InvalidFileName', /^fileName: must not contain a path separator/],
    ['a dot-dot', '{"fileName":".."}', {}, 400, 'InvalidFileName', /^fileName: must not contain "\.\."$/],
    ['a NUL', '{"fileName":"a\\u0000.csv"}', {}, 400, 'InvalidFileName', /^fileName: must not contain control characters$/],
    ['a line feed', '{"fileName":"a\\n.csv"}', {}, 400, 'InvalidFileName', /^fileName: must not contain control characters$/],
    ['a lone surrogate', '{"fileName":"\\ud800.csv"}', {}, 400, 'InvalidFileName', /^fileName: must be well-formed Unicode text \(it holds a lone surrogate, \\ud800\)$/],
    ['a name over 255 bytes in UTF-8', JSON.stringify({ fileName: `${'é'.repeat(126)}.csv` }), {}, 400, 'InvalidFileName', /^fileName: is 256 bytes in UTF-8; the limit is 255$/],
    // contentType
    ['a type that is a number', '{"contentType":1}', {}, 400, 'UnsupportedContentType', /^contentType: .*expected string, received number$/],
    ['an empty type', '{"contentType":""}', {}, 400, 'UnsupportedContentType', /^contentType: must be one of text\/csv, application\/csv$/],
    ['a type outside the list', '{"contentType":"text/html"}', {}, 400, 'UnsupportedContentType', /^contentType: must be one of text\/csv, application\/csv$/],
    ['a type that injects a header', '{"contentType":"text/csv\\r\\nX-Amz-Acl: public-read"}', {}, 400, 'UnsupportedContentType', /^contentType: must be printable ASCII text, as an HTTP header value is/],
    ['a type with a non-ASCII parameter', '{"contentType":"text/csv; charset=é"}', {}, 400, 'UnsupportedContentType', /^contentType: must be printable ASCII text/],
    ['a type with a lone surrogate', '{"contentType":"text/csv; x=\\ud800"}', {}, 400, 'UnsupportedContentType', /^contentType: must be printable ASCII text/],
    ['a type over 256 characters', JSON.stringify({ contentType: `text/csv; x=${'a'.repeat(250)}` }), {}, 400, 'UnsupportedContentType', /^contentType: Too big/],
    // size
    ['a zero size', '{"size":0}', {}, 400, 'InvalidSize', /^size: Too small: expected number to be >0$/],
    ['a negative size', '{"size":-1}', {}, 400, 'InvalidSize', /^size: Too small/],
    ['a fractional size', '{"size":0.5}', {}, 400, 'InvalidSize', /^size: Invalid input: expected int, received number$/],
    ['a size as text', '{"size":"100"}', {}, 400, 'InvalidSize', /^size: Invalid input: expected number, received string$/],
    ['a size of NaN, as text', '{"size":"NaN"}', {}, 400, 'InvalidSize', /^size: .*received string$/],
    ['a null size', '{"size":null}', {}, 400, 'InvalidSize', /^size: .*received null$/],
    ['a size over the limit', `{"size":${MAX_UPLOAD_BYTES + 1}}`, {}, 400, 'InvalidSize', /^size: is over the upload limit of 1000 bytes$/],
    ['a size beyond the largest double', '{"size":1e400}', {}, 400, 'InexactNumber', /^size: 1e400 is beyond the largest number/],
    ['a size a double rounds', '{"size":9007199254740993}', {}, 400, 'InexactNumber', /^size: 9007199254740993 would be read as 9007199254740992/],
  ])('%s', async (_case, body, overrides, status, error, message) => {
    const response = await post(body, overrides);

    expect(response.status).toBe(status);
    expect(response.json).toEqual({ error, message: expect.stringMatching(message) });
  });

  it('never answers 5xx, whatever the body', async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.record({ fileName: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()), contentType: fc.oneof(fc.constantFrom('text/csv', 'application/csv; charset=utf-8'), fc.string({ unit: 'binary' })), size: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await post(body);
        expect(response.status === 200 || (response.status >= 400 && response.status < 500)).toBe(true);
        if (response.status >= 400) expect(Object.keys(response.json).sort()).toEqual(['error', 'message']);
      }),
      { numRuns: 100 },
    );
  });
});

describe('POST /presign presigns every valid edge value', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a name of exactly 255 bytes', { fileName: `${'a'.repeat(MAX_FILE_NAME_BYTES - 4)}.csv` }, `${'a'.repeat(MAX_FILE_NAME_BYTES - 4)}.csv`],
    ['a name with emoji and letters of every script', { fileName: '😀 日本 données.csv' }, '😀 日本 données.csv'],
    ['a name with URL-special characters', { fileName: 'a b#1?x=%20&y+z.csv' }, 'a b#1?x=%20&y+z.csv'],
    ['a leading dot', { fileName: '.csv' }, '.csv'],
    ['the smallest size', { size: 1 }, ''],
    ['the largest size, written with an exponent', { size: 1e3 }, ''],
    ['a type in another case with parameters', { contentType: 'Text/CSV ; charset="utf-8"' }, ''],
  ])('%s', async (_case, request, fileName) => {
    const response = await post(JSON.stringify(request));

    expect(response.status).toBe(200);
    const upload = response.json as unknown as PresignedUpload;
    if (fileName !== '') expect(upload.s3Key).toBe(`uploads/${upload.fileId}/${fileName}`);
    // The key reaches S3 as its UTF-8 bytes, percent-encoded.
    expect(decodeURIComponent(new URL(upload.uploadUrl).pathname)).toBe(`/${upload.s3Key}`);
  });
});
