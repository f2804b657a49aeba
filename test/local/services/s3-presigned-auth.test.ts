/**
 * Who the local S3 lets in, as S3 does: presigned (query-string) URLs are verified against the local
 * cloud's one credential pair, so a URL whose signature, key, signed Content-Type or signed length does
 * not match what is sent, or that has expired, is refused with S3's 403 and its XML error, and nothing
 * is stored or notified; an anonymous request is refused; SDK and CLI calls signed in headers work with
 * any credentials.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { startHarness, TEST_CREDENTIALS, type Harness } from './harness';

const run = promisify(execFile);

let harness: Harness;
let bucket: string;
let workQueue: string;
/** Configured as the presign function's client: no checksum of the empty presign-time body in the URL. */
let presigner: S3Client;

beforeAll(async () => {
  harness = await startHarness();
  bucket = harness.services.outputs.BucketName;
  workQueue = harness.services.outputs.WorkQueueUrl;
  presigner = new S3Client({ endpoint: harness.services.endpoint, region: harness.services.region, credentials: TEST_CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED' });
});
afterAll(async () => {
  presigner?.destroy();
  await harness?.stop();
});
beforeEach(() => harness.sqs.send(new PurgeQueueCommand({ QueueUrl: workQueue })));

interface PresignOptions {
  readonly contentType?: string;
  readonly size?: number;
  readonly expiresIn?: number;
  readonly signingDate?: Date;
  readonly client?: S3Client;
}

/** A PUT URL signed as POST /presign signs it: exactly the declared Content-Type and Content-Length bound. */
function presignPut(Key: string, { contentType, size, expiresIn = 300, signingDate, client = presigner }: PresignOptions = {}): Promise<string> {
  const signableHeaders = new Set([...(contentType !== undefined ? ['content-type'] : []), ...(size !== undefined ? ['content-length'] : [])]);
  return getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key, ContentType: contentType, ContentLength: size }), { expiresIn, signingDate, signableHeaders });
}

function presignGet(Key: string): Promise<string> {
  return getSignedUrl(presigner, new GetObjectCommand({ Bucket: bucket, Key }), { expiresIn: 300 });
}

/** The same URL with the last hex digit of its signature changed. */
function tampered(url: string): string {
  const parsed = new URL(url);
  const signature = parsed.searchParams.get('X-Amz-Signature') as string;
  parsed.searchParams.set('X-Amz-Signature', signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0'));
  return parsed.toString();
}

/** The URL signed for one key, sent to another key's path. */
function retargeted(url: string, Key: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${bucket}/${Key}`;
  return parsed.toString();
}

function xmlField(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
}

/** S3's error answer: the status, and an XML body with Code, Message, RequestId and HostId, the ids also in headers. */
async function expectS3Error(response: Response, status: number, code: string, message: string): Promise<string> {
  const body = await response.text();
  expect({ status: response.status, code: xmlField(body, 'Code'), message: xmlField(body, 'Message') }).toEqual({ status, code, message });
  expect(response.headers.get('content-type')).toBe('application/xml');
  expect(xmlField(body, 'RequestId')).toMatch(/^[0-9A-F]{16}$/);
  expect(response.headers.get('x-amz-request-id')).toBe(xmlField(body, 'RequestId'));
  expect(xmlField(body, 'HostId')).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
  expect(response.headers.get('x-amz-id-2')).toBe(xmlField(body, 'HostId'));
  return body;
}

async function expectNotStored(Key: string): Promise<void> {
  await expect(harness.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }))).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
}

const SIGNATURE_DOES_NOT_MATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const CSV = 'id,name\n1,Ada\n';

describe('a presigned PUT', () => {
  it('sent as signed is stored and notified', async () => {
    const Key = 'uploads/signed/people.csv';
    const url = await presignPut(Key, { contentType: 'text/csv', size: Buffer.byteLength(CSV) });
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: CSV });
    expect(response.status).toBe(200);
    const stored = await harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect([stored.ContentType, await stored.Body?.transformToString()]).toEqual(['text/csv', CSV]);
    const message = await eventually(async () => {
      const { Messages } = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: workQueue, WaitTimeSeconds: 1 }));
      return Messages?.[0];
    }, 'the upload notification');
    await harness.sqs.send(new DeleteMessageCommand({ QueueUrl: workQueue, ReceiptHandle: message.ReceiptHandle }));
    expect(JSON.parse(message.Body as string).Records[0]).toMatchObject({ eventName: 'ObjectCreated:Put', userIdentity: { principalId: 'AWS:test' }, s3: { object: { key: Key, size: CSV.length } } });
  });

  it('with a tampered signature is refused: SignatureDoesNotMatch', async () => {
    const Key = 'uploads/tampered/people.csv';
    const url = tampered(await presignPut(Key, { contentType: 'text/csv' }));
    await expectS3Error(await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: CSV }), 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
    await expectNotStored(Key);
  });

  it('sent to another key than the one signed is refused: SignatureDoesNotMatch', async () => {
    const url = retargeted(await presignPut('uploads/granted/people.csv'), 'uploads/taken/people.csv');
    await expectS3Error(await fetch(url, { method: 'PUT', body: CSV }), 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
    await expectNotStored('uploads/taken/people.csv');
    await expectNotStored('uploads/granted/people.csv');
  });

  it('with another Content-Type than the signed one is refused: SignatureDoesNotMatch', async () => {
    const Key = 'uploads/retyped/people.csv';
    const url = await presignPut(Key, { contentType: 'text/csv' });
    await expectS3Error(await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: CSV }), 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
    await expectNotStored(Key);
  });

  it('with more bytes than the signed Content-Length is refused: SignatureDoesNotMatch (the length is a signed header)', async () => {
    const Key = 'uploads/oversized/people.csv';
    const url = await presignPut(Key, { contentType: 'text/csv', size: Buffer.byteLength(CSV) });
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: `${CSV}2,Grace\n` });
    await expectS3Error(response, 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
    await expectNotStored(Key);
  });

  it('after it expired is refused: AccessDenied, Request has expired', async () => {
    const Key = 'uploads/expired/people.csv';
    const signingDate = new Date(Date.now() - 20 * 60_000);
    const url = await presignPut(Key, { expiresIn: 300, signingDate });
    const body = await expectS3Error(await fetch(url, { method: 'PUT', body: CSV }), 403, 'AccessDenied', 'Request has expired');
    expect(xmlField(body, 'X-Amz-Expires')).toBe('300');
    expect(xmlField(body, 'Expires')).toBe(new Date(Math.floor(signingDate.getTime() / 1000) * 1000 + 300_000).toISOString().replace('.000Z', 'Z'));
    await expectNotStored(Key);
  });

  it('signed more than 15 minutes ahead is refused: AccessDenied, Request is not yet valid; with a malformed parameter: 400', async () => {
    const Key = 'uploads/early/people.csv';
    const early = await presignPut(Key, { signingDate: new Date(Date.now() + 60 * 60_000) });
    await expectS3Error(await fetch(early, { method: 'PUT', body: CSV }), 403, 'AccessDenied', 'Request is not yet valid');
    const overlong = new URL(await presignPut(Key));
    overlong.searchParams.set('X-Amz-Expires', '604801');
    const message = 'X-Amz-Expires must be less than a week (in seconds) that is 604800';
    await expectS3Error(await fetch(overlong, { method: 'PUT', body: CSV }), 400, 'AuthorizationQueryParametersError', message);
    await expectNotStored(Key);
  });

  it('signed with an access key the local cloud does not have is refused: InvalidAccessKeyId', async () => {
    const Key = 'uploads/stranger/people.csv';
    const stranger = new S3Client({ endpoint: harness.services.endpoint, region: harness.services.region, credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'test' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
    try {
      const body = await expectS3Error(
        await fetch(await presignPut(Key, { client: stranger }), { method: 'PUT', body: CSV }),
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
      expect(xmlField(body, 'AWSAccessKeyId')).toBe('AKIASTRANGER');
    } finally {
      stranger.destroy();
    }
    await expectNotStored(Key);
  });
});

describe('an unsigned request', () => {
  it('PUT is refused: AccessDenied', async () => {
    const Key = 'uploads/anonymous/people.csv';
    await expectS3Error(await fetch(`${harness.services.endpoint}/${bucket}/${Key}`, { method: 'PUT', body: CSV }), 403, 'AccessDenied', 'Access Denied');
    await expectNotStored(Key);
  });

  it('presigned with Signature Version 2 is refused: InvalidRequest, as by buckets S3 created since 2020', async () => {
    const Key = 'uploads/sigv2/people.csv';
    const url = `${harness.services.endpoint}/${bucket}/${Key}?AWSAccessKeyId=test&Expires=${Math.floor(Date.now() / 1000) + 300}&Signature=${encodeURIComponent('bWFkZSB1cA==')}`;
    await expectS3Error(await fetch(url, { method: 'PUT', body: CSV }), 400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    await expectNotStored(Key);
  });

  it('GET is refused: AccessDenied', async () => {
    const Key = 'uploads/anonymous/readable.csv';
    await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: CSV }));
    await expectS3Error(await fetch(`${harness.services.endpoint}/${bucket}/${Key}`), 403, 'AccessDenied', 'Access Denied');
  });
});

describe('a presigned GET', () => {
  const Key = 'reports/presigned-get.csv';
  beforeAll(() => harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: CSV, ContentType: 'text/csv' })));

  it('sent as signed reads the object', async () => {
    const response = await fetch(await presignGet(Key));
    expect([response.status, await response.text()]).toEqual([200, CSV]);
  });

  it('with a tampered signature, or for another key, is refused: SignatureDoesNotMatch', async () => {
    await expectS3Error(await fetch(tampered(await presignGet(Key))), 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
    await expectS3Error(await fetch(retargeted(await presignGet('reports/other.csv'), Key)), 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
  });

  it("from the AWS CLI (`aws s3 presign`, botocore's signer) is verified the same way", async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'tidewatch-presign-'));
    // AWS CLI v1 presigns with SigV2 unless told otherwise; S3 takes only SigV4 on buckets created since 2020.
    const config = path.join(home, 'config');
    await writeFile(config, '[default]\ns3 =\n    signature_version = s3v4\n');
    const env = { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: config };
    const { stdout } = await run('aws', ['--endpoint-url', harness.services.endpoint, 's3', 'presign', `s3://${bucket}/${Key}`, '--expires-in', '300'], { env });
    const url = stdout.trim();
    expect(new URL(url).searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    const response = await fetch(url);
    expect([response.status, await response.text()]).toEqual([200, CSV]);
    await expectS3Error(await fetch(tampered(url)), 403, 'SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH);
  });
});

describe('a request signed in headers', () => {
  it('works with any credentials, as SDK and CLI calls do', async () => {
    const Key = 'reports/any-credentials.csv';
    const anyone = new S3Client({ endpoint: harness.services.endpoint, region: harness.services.region, credentials: { accessKeyId: 'anything', secretAccessKey: 'whatever' } });
    try {
      await anyone.send(new PutObjectCommand({ Bucket: bucket, Key, Body: CSV }));
      expect(await (await anyone.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body?.transformToString()).toBe(CSV);
    } finally {
      anyone.destroy();
    }
  });
});
