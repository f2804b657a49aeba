import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uploadUrlSigner } from './upload-url-signer';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'session-token' };

/** The URL an S3 client configured as the function's was (no checksum) presigns for the same PUT. */
function clientUrl(env: Record<string, string | undefined>, bucket: string, key: string, headers: Record<string, string>): Promise<string> {
  const endpoint = env.AWS_ENDPOINT_URL;
  const client = new S3Client({
    region: env.AWS_REGION,
    credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY, sessionToken: CREDENTIALS.AWS_SESSION_TOKEN },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: headers['Content-Type'], ContentLength: headers['Content-Length'] === undefined ? undefined : Number(headers['Content-Length']) });
  return getSignedUrl(client, command, { expiresIn: 300, signableHeaders: new Set(Object.keys(headers).map((name) => name.toLowerCase())) });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2030-01-02T03:04:05.678Z'));
  for (const [name, value] of Object.entries(CREDENTIALS)) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('uploadUrlSigner', () => {
  it.each([
    ['an AWS region, virtual-hosted style', { AWS_REGION: 'us-east-1' }, 'tidewatch-uploads', 'uploads/f1/sales 2030.csv', { 'Content-Type': 'text/csv', 'Content-Length': '512' }],
    ['another partition', { AWS_REGION: 'cn-north-1' }, 'tidewatch-uploads', 'uploads/f1/a.csv', {}],
    ['a key with characters to encode', { AWS_REGION: 'eu-west-1' }, 'tidewatch-uploads', "uploads/f1/résumé (1)+[x]!'*.csv", { 'Content-Type': 'Application/CSV; charset=utf-8' }],
    ['a custom endpoint at an IP address, path style', { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, 'tidewatch-uploads', 'uploads/f1/a.csv', { 'Content-Length': '10' }],
    ['a custom endpoint with a host name', { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://localhost.localstack.cloud:4566' }, 'tidewatch-uploads', 'uploads/f1/a.csv', {}],
    ['a bucket name with dots, path style', { AWS_REGION: 'us-east-1' }, 'tidewatch.uploads', 'uploads/f1/a.csv', {}],
  ])('signs the URL an S3 client presigns: %s', async (_case, env, bucket, key, headers) => {
    const sign = uploadUrlSigner({ ...CREDENTIALS, ...env });
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    expect(await sign({ bucket, key, headers, expiresInSeconds: 300 })).toBe(await clientUrl(env, bucket, key, headers));
  });
});
