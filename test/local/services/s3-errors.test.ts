/**
 * The S3 errors the project relies on, answered as S3 answers them: each S3 action the handlers, the
 * local CloudFront and the CLI call, made with the SDK the way they make it, in the case that fails.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let harness: Harness;
let bucket: string;
const MISSING_BUCKET = 'tidewatch-no-such-bucket';
const SOURCE = 'errors/source.csv';
let source: HeadObjectCommandOutput;

beforeAll(async () => {
  harness = await startHarness();
  bucket = harness.services.outputs.BucketName;
  await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key: SOURCE, Body: 'id\n1\n' }));
  source = await harness.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: SOURCE }));
});
afterAll(() => harness?.stop());

const hourBefore = () => new Date((source.LastModified as Date).getTime() - 3_600_000);
const hourAfter = () => new Date((source.LastModified as Date).getTime() + 3_600_000);
const copy = (extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]>) =>
  harness.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'errors/copy.csv', CopySource: `${bucket}/${SOURCE}`, ...extra }));

/** [case, the call, the status and error name the SDK raises (undefined: it succeeds with that status)] */
const CASES: ReadonlyArray<readonly [string, () => Promise<{ $metadata: { httpStatusCode?: number } }>, number, string | undefined]> = [
  ['GetObject of a missing key', () => harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'errors/missing.csv' })), 404, 'NoSuchKey'],
  ['GetObject from a missing bucket', () => harness.s3.send(new GetObjectCommand({ Bucket: MISSING_BUCKET, Key: SOURCE })), 404, 'NoSuchBucket'],
  ['GetObject If-Match another ETag', () => harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key: SOURCE, IfMatch: '"0123"' })), 412, 'PreconditionFailed'],
  ['GetObject If-None-Match its ETag', () => harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key: SOURCE, IfNoneMatch: source.ETag })), 304, 'Unknown'],
  ['GetObject of a range past its end', () => harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key: SOURCE, Range: 'bytes=100-200' })), 416, 'InvalidRange'],
  ['HeadObject of a missing key', () => harness.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'errors/missing.csv' })), 404, 'NotFound'],
  ['PutObject to a missing bucket', () => harness.s3.send(new PutObjectCommand({ Bucket: MISSING_BUCKET, Key: 'x.csv', Body: 'x' })), 404, 'NoSuchBucket'],
  ['CopyObject from a missing key', () => copy({ CopySource: `${bucket}/errors/missing.csv` }), 404, 'NoSuchKey'],
  ['CopyObject CopySourceIfMatch its ETag', () => copy({ CopySourceIfMatch: source.ETag }), 200, undefined],
  ['CopyObject CopySourceIfMatch another ETag', () => copy({ CopySourceIfMatch: '"0123"' }), 412, 'PreconditionFailed'],
  ['CopyObject CopySourceIfNoneMatch its ETag', () => copy({ CopySourceIfNoneMatch: source.ETag }), 412, 'PreconditionFailed'],
  ['CopyObject CopySourceIfUnmodifiedSince before its last change', () => copy({ CopySourceIfUnmodifiedSince: hourBefore() }), 412, 'PreconditionFailed'],
  ['CopyObject CopySourceIfModifiedSince after its last change', () => copy({ CopySourceIfModifiedSince: hourAfter() }), 412, 'PreconditionFailed'],
  ['CopyObject CopySourceIfMatch its ETag, CopySourceIfUnmodifiedSince false (If-Match decides)', () => copy({ CopySourceIfMatch: source.ETag, CopySourceIfUnmodifiedSince: hourBefore() }), 200, undefined],
  ['DeleteObject of a missing key', () => harness.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'errors/missing.csv' })), 204, undefined],
  ['ListObjectsV2 of a missing bucket', () => harness.s3.send(new ListObjectsV2Command({ Bucket: MISSING_BUCKET })), 404, 'NoSuchBucket'],
  ['CreateMultipartUpload in a missing bucket', () => harness.s3.send(new CreateMultipartUploadCommand({ Bucket: MISSING_BUCKET, Key: 'x.csv' })), 404, 'NoSuchBucket'],
  ['UploadPart to an unknown upload', () => harness.s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'errors/mp.csv', UploadId: 'unknown', PartNumber: 1, Body: 'x' })), 404, 'NoSuchUpload'],
  [
    'CompleteMultipartUpload of an unknown upload',
    () => harness.s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'errors/mp.csv', UploadId: 'unknown', MultipartUpload: { Parts: [{ ETag: '"0123"', PartNumber: 1 }] } })),
    404,
    'NoSuchUpload',
  ],
  ['AbortMultipartUpload of an unknown upload', () => harness.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'errors/mp.csv', UploadId: 'unknown' })), 404, 'NoSuchUpload'],
  ['GetBucketNotificationConfiguration of a missing bucket', () => harness.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: MISSING_BUCKET })), 404, 'NoSuchBucket'],
  ['GetBucketLocation of a missing bucket', () => harness.s3.send(new GetBucketLocationCommand({ Bucket: MISSING_BUCKET })), 404, 'NoSuchBucket'],
  ['GetBucketVersioning of a missing bucket', () => harness.s3.send(new GetBucketVersioningCommand({ Bucket: MISSING_BUCKET })), 404, 'NoSuchBucket'],
];

describe('the local S3 answers as S3 does', () => {
  it.each(CASES)('%s', async (_case, call, status, errorName) => {
    const outcome = await call().then(
      (output) => ({ status: output.$metadata.httpStatusCode, errorName: undefined }),
      (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({ status: error.$metadata?.httpStatusCode, errorName: error.name }),
    );
    expect(outcome).toEqual({ status, errorName });
  });
});
