/**
 * A file run that crashed between moving its upload to `processed/` and recording it PROCESSED: on an
 * unversioned bucket (its events pin the upload by ETag) the upload key is gone when the message comes
 * back. The next attempt must finish the move it finds done, not reject the file as gone. Against the
 * local S3 and DynamoDB.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processedKeyOf } from '../../contract/s3-layout';
import { ObjectGoneError } from '../../handlers/file-worker/errors';
import { createFileProcessor } from '../../handlers/file-worker/process-file';
import type { FileRef } from '../../handlers/file-worker/notification';
import { StatusStore } from '../../handlers/shared/status-store';
import type { LocalServices } from '../../local/template/model';
import { startStackServices } from '../support/stack-services';

const CSV = 'name,count\na,1\nb,2\n';
let services: LocalServices;
let s3Client: S3Client;
let store: StatusStore;
let bucket: string;

beforeAll(async () => {
  // An unversioned bucket and the status table.
  const started = await startStackServices('Resume-local', (stack) => {
    new s3.Bucket(stack, 'Uploads');
    new dynamodb.Table(stack, 'Status', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  });
  ({ services } = started);
  const { config, resolve } = started;
  s3Client = new S3Client({ ...config, forcePathStyle: true });
  bucket = resolve('Uploads');
  store = new StatusStore(DynamoDBDocumentClient.from(new DynamoDBClient(config)), resolve('Status')).withQueue('files');
});

afterAll(async () => {
  s3Client?.destroy();
  await services?.stop();
});

/** Uploads a CSV under uploads/<fileId>/ and answers the event's reference to it (pinned by ETag: unversioned). */
async function upload(body: string): Promise<FileRef> {
  const fileId = crypto.randomUUID();
  const key = `uploads/${fileId}/data.csv`;
  const { ETag } = await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' }));
  const eTag = ETag!.replaceAll('"', '');
  return { bucket, key, eTag, version: `etag:${eTag}`, size: Buffer.byteLength(body), eventTime: new Date().toISOString() };
}

/** What the crashed attempt did before its PROCESSED write: the copy to processed/, then the delete. */
async function moveAsTheCrashedAttemptDid(file: FileRef): Promise<void> {
  await s3Client.send(new CopyObjectCommand({ Bucket: bucket, Key: processedKeyOf(file.key), CopySource: `${bucket}/${file.key}` }));
  await s3Client.send(new DeleteObjectCommand({ Bucket: bucket, Key: file.key }));
}

describe('a file run after a crash mid-move', () => {
  const processFile = () => createFileProcessor({ s3: s3Client, store, rules: { bucket, maxUploadBytes: 1024 * 1024 } });

  it('finishes a move the crashed attempt completed: PROCESSED from the processed copy', async () => {
    const file = await upload(CSV);
    await store.update(file.key.split('/')[1]!, 'file', 'PROCESSING', { attempts: 1 });
    await moveAsTheCrashedAttemptDid(file);

    const outcome = await processFile()(file, { number: 2, run: JSON.stringify([bucket, file.key, file.version]) });

    expect(outcome).toMatchObject({ status: 'PROCESSED', rowCount: 2, processedKey: processedKeyOf(file.key) });
    expect(await store.get(outcome.fileId)).toMatchObject({ status: 'PROCESSED', rowCount: 2, attempts: 2 });
    const kept = await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: processedKeyOf(file.key) }));
    expect(await kept.Body!.transformToString()).toBe(CSV);
  });

  it('still rejects an upload that is gone when nothing was moved (deleted by someone, or replaced)', async () => {
    const file = await upload(CSV);
    await s3Client.send(new DeleteObjectCommand({ Bucket: bucket, Key: file.key }));

    await expect(processFile()(file, { number: 1, run: JSON.stringify([bucket, file.key, file.version]) })).rejects.toBeInstanceOf(ObjectGoneError);
  });

  it('does not take a processed copy of other content (the ETag pins the upload) for it', async () => {
    const file = await upload(CSV);
    await moveAsTheCrashedAttemptDid(file);
    await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: processedKeyOf(file.key), Body: 'other,content\n1,2\n' }));

    await expect(processFile()(file, { number: 2, run: JSON.stringify([bucket, file.key, file.version]) })).rejects.toBeInstanceOf(ObjectGoneError);
  });
});
