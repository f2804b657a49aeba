import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { startHarness, TEST_CREDENTIALS, type Harness } from './harness';

const run = promisify(execFile);

let harness: Harness;
let workQueue: string;
let wrappedQueue: string;
let rawQueue: string;
let bucket: string;

beforeAll(async () => {
  harness = await startHarness();
  const { outputs } = harness.services;
  workQueue = outputs.WorkQueueUrl;
  bucket = outputs.BucketName;
  wrappedQueue = fixtureQueueUrl('WrappedQueue');
  rawQueue = fixtureQueueUrl('RawQueue');
});
afterAll(() => harness?.stop());
beforeEach(async () => {
  await Promise.all([workQueue, wrappedQueue, rawQueue].map((QueueUrl) => harness.sqs.send(new PurgeQueueCommand({ QueueUrl }))));
});

/** The local URL of a fixture queue, through the template reader's own `Ref` resolution. */
function fixtureQueueUrl(logicalIdPrefix: string): string {
  const { Resources } = harness.services.template;
  const logicalId = Object.keys(Resources).find((id) => id.startsWith(logicalIdPrefix) && Resources[id].Type === 'AWS::SQS::Queue') as string;
  return String(harness.services.resolve({ Ref: logicalId }));
}

async function receiveOne(QueueUrl: string): Promise<Message> {
  return eventually(async () => {
    const { Messages } = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
    if (!Messages?.length) return undefined;
    expect(Messages).toHaveLength(1);
    await harness.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
    return Messages[0];
  }, `a message on ${QueueUrl}`);
}

/** A raw request signed in headers, as every SDK and CLI call is (the local S3 refuses anonymous ones). */
async function fetchSignedInHeaders(method: string, pathAndQuery: string, body: string): Promise<Response> {
  const url = new URL(pathAndQuery, harness.services.endpoint);
  const signer = new SignatureV4({ service: 's3', region: harness.services.region, credentials: TEST_CREDENTIALS, sha256: Sha256, uriEscapePath: false });
  const query = Object.fromEntries(url.searchParams);
  const signed = await signer.sign({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers: { host: url.host }, body });
  return fetch(url, { method, headers: signed.headers, body });
}

async function expectEmpty(QueueUrl: string): Promise<void> {
  const { Messages } = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  expect(Messages ?? []).toEqual([]);
}

describe('S3 event notifications', () => {
  it('sends the AWS event JSON to the queue after PutObject, key URL-encoded', async () => {
    const Key = 'uploads/7d1c/my report (final)+v2.csv';
    const put = await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'a,b\n1,2\n', ContentType: 'text/csv' }));
    const event = JSON.parse((await receiveOne(workQueue)).Body as string);
    expect(event.Records).toHaveLength(1);
    const [record] = event.Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:test' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: 'uploads/7d1c/my+report+%28final%29%2Bv2.csv', size: 8, eTag: put.ETag?.replace(/"/g, '') },
      },
    });
    expect(new Date(record.eventTime).toISOString()).toBe(record.eventTime);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{16,}$/);
    expect(record.responseElements['x-amz-request-id']).toMatch(/\S/);
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(Key);
  });

  it('applies the prefix and suffix filters', async () => {
    await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/1/readme.txt', Body: 'no' }));
    await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/1/data.csv', Body: 'no' }));
    await expectEmpty(workQueue);
  });

  it('sends CopyObject and CompleteMultipartUpload as their own event names, with increasing sequencers', async () => {
    await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/source.csv', Body: 'x,y\n' }));
    await harness.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'uploads/copy/target.csv', CopySource: `${bucket}/staging/source.csv` }));
    const copied = JSON.parse((await receiveOne(workQueue)).Body as string).Records[0];
    expect(copied.eventName).toBe('ObjectCreated:Copy');

    const Key = 'uploads/multi/big.csv';
    const { UploadId } = await harness.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    const part = await harness.s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: 'h\n1\n' }));
    await harness.s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }));
    const completed = JSON.parse((await receiveOne(workQueue)).Body as string).Records[0];
    expect(completed).toMatchObject({ eventName: 'ObjectCreated:CompleteMultipartUpload', s3: { object: { key: Key, size: 4 } } });
    expect(completed.s3.object.sequencer > copied.s3.object.sequencer).toBe(true);
  });

  it('publishes to SNS: wrapped in the SNS envelope for a plain subscription, raw for a raw one', async () => {
    await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'fanout/a b.csv', Body: 'h\n' }));
    const envelope = JSON.parse((await receiveOne(wrappedQueue)).Body as string);
    expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: harness.services.outputs.TopicArn, Subject: 'Amazon S3 Notification' });
    const wrapped = JSON.parse(envelope.Message);
    expect(wrapped.Records[0]).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'fanout/a+b.csv' } } });
    const raw = JSON.parse((await receiveOne(rawQueue)).Body as string);
    expect(raw.Records[0].s3.object.key).toBe('fanout/a+b.csv');
    // The topic rule is for s3:ObjectCreated:Put only: a copy into fanout/ publishes nothing.
    await harness.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'fanout/copy.csv', CopySource: `${bucket}/fanout/a b.csv` }));
    await expectEmpty(rawQueue);
  });

  it('accepts a plain curl --data-binary PUT to a presigned URL, as real S3 does', async () => {
    const Key = 'uploads/curl/orders.csv';
    const url = await getSignedUrl(harness.s3, new PutObjectCommand({ Bucket: bucket, Key }), { expiresIn: 300 });
    expect(url.startsWith(`${harness.services.endpoint}/${bucket}/`)).toBe(true);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'tidewatch-')), 'orders.csv');
    await writeFile(file, 'id,total\n1,9.50\n2,"1,000"\n');
    const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--data-binary', `@${file}`, '-X', 'PUT', url]);
    expect(stdout).toBe('200');
    const stored = await harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect(await stored.Body?.transformToString()).toBe('id,total\n1,9.50\n2,"1,000"\n');
    const event = JSON.parse((await receiveOne(workQueue)).Body as string).Records[0];
    expect(event.s3.object).toMatchObject({ key: Key, size: 26 });
    expect(event.userIdentity.principalId).toBe('AWS:test');
  });

  it('stores a single PUT larger than the emulator takes in one request, and notifies it', async () => {
    const Key = 'uploads/large/rows.csv';
    const body = Buffer.alloc(12 * 1024 * 1024 + 5, 'a,b\n');
    const url = await getSignedUrl(harness.s3, new PutObjectCommand({ Bucket: bucket, Key, ContentType: 'text/csv' }), { expiresIn: 300 });
    const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/csv' } });
    expect(response.status).toBe(200);
    const stored = await harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect(stored.ContentType).toBe('text/csv');
    expect(Buffer.from(await (stored.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(body)).toBe(true);
    const event = JSON.parse((await receiveOne(workQueue)).Body as string).Records[0];
    expect(event.s3.object).toMatchObject({ key: Key, size: body.length });
  });

  it('rejects S3 management calls it does not emulate with an error naming them', async () => {
    const response = await fetchSignedInHeaders('PUT', `/${bucket}?lifecycle`, '<LifecycleConfiguration/>');
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<Code>UnsupportedOperation</Code>');
    expect(body).toContain('S3 PutBucketLifecycle (?lifecycle) is not supported by the Tidewatch local cloud');
    expect(harness.warnings).toEqual([]);
  });
});
