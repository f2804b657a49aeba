import 'aws-sdk-client-mock-vitest/extend';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, emittedMetric, POWERTOOLS_TEST_ENV, type CapturedOutput } from '../../test/support/handlers/powertools-output';
import { lambdaContext, sqsRecord } from '../../test/support/handlers/lambda-events';
import { fakeBucket, fakeIdempotencyTable, fakeStatusTable } from '../../test/support/handlers/file-worker-fakes';
import { sdkStreamMixin } from '@smithy/util-stream';
import { Readable } from 'node:stream';
import { s3Event, s3TestEvent, snsWrapped, TEST_BUCKET, type S3ObjectEventOptions } from '../../test/support/handlers/s3-notifications';

Object.assign(process.env, POWERTOOLS_TEST_ENV, {
  BUCKET_NAME: TEST_BUCKET,
  STATUS_TABLE_NAME: 'status-table',
  IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
  UPLOAD_PREFIX: 'uploads/',
  PROCESSED_PREFIX: 'processed/',
  MAX_UPLOAD_BYTES: String(1024 * 1024),
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/files',
  MAX_RECEIVE_COUNT: '3',
  WORK_QUEUE_NAME: 'files',
  IDEMPOTENCY_TTL_SECONDS: String(14 * 24 * 3600),
  RETRY_BACKOFF_BASE_SECONDS: '10',
});
const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const dynamodb = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index');

/** Quoted commas, a quoted CRLF and LF, escaped quotes, a BOM, CRLF line ends, unicode: 3 data rows. */
const ORDERS_CSV = '\uFEFForder_id,customer,note\r\n1,"Müller, José","call first\r\nbuzzer 4B"\r\n2,"Ana ""Nena"" Silva",plain\r\n3,李雷,"a,b\nc"\r\n';
const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

let objects: Map<string, Buffer>;
let output: CapturedOutput;

beforeEach(() => {
  for (const mock of [s3, sqs, dynamodb, documents]) mock.reset();
  objects = fakeBucket(s3);
  fakeIdempotencyTable(dynamodb);
  fakeStatusTable(documents);
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  output = captureOutput();
});

afterEach(() => {
  vi.restoreAllMocks();
});

interface Upload {
  readonly fileId: string;
  readonly key: string;
  readonly event: S3ObjectEventOptions;
}

/** Puts an object under uploads/<uuid>/<name> and returns it with the S3 event fields announcing it. */
function upload(content: string | Buffer, options: { name?: string; versioned?: boolean; key?: string; eventAgeMs?: number } = {}): Upload {
  const fileId = randomUUID();
  const key = options.key ?? `uploads/${fileId}/${options.name ?? 'orders.csv'}`;
  const body = Buffer.from(content);
  objects.set(key, body);
  // S3 URL-encodes keys in events, with + for spaces, and leaves the slashes alone.
  const encodedKey = key.split('/').map((segment) => encodeURIComponent(segment).replaceAll('%20', '+')).join('/');
  return {
    fileId,
    key,
    event: {
      encodedKey,
      size: body.length,
      eTag: createHash('md5').update(body).digest('hex'),
      eventTime: new Date(Date.now() - (options.eventAgeMs ?? 1500)).toISOString(),
      ...(options.versioned === false ? {} : { versionId: `version-of-${fileId}` }),
    },
  };
}

/** The upload with its event saying something else about it. */
const announcedAs = (file: Upload, event: Partial<S3ObjectEventOptions>): Upload => ({ ...file, event: { ...file.event, ...event } });
const message = (file: Upload, overrides: { receiveCount?: number; messageId?: string } = {}) => sqsRecord(JSON.stringify(s3Event(file.event)), overrides);
const invoke = (...records: SQSRecord[]) => handler({ Records: records }, lambdaContext('file-worker'));

/** The status-table writes for one item, in order, as {status, values}. */
function statusWrites(id: string) {
  return documents
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Key?.id === id)
    .map((input) => ({ status: input.ExpressionAttributeValues?.[':status'] as string, values: input.ExpressionAttributeValues ?? {} }));
}

const metricValues = (name: string) => emittedMetric(output.emf(), name).map(({ document }) => document[name]);
const logLine = (text: string) => output.logs().find((line) => line.message === text);
const throttled = () =>
  new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } });

describe('file worker', () => {
  it('processes a direct S3 event: streams the announced version, counts rows, moves the file, records PROCESSED', async () => {
    const file = upload(ORDERS_CSV);
    const record = message(file);

    const response = await invoke(record);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandExactlyOnceWith(GetObjectCommand, { Bucket: TEST_BUCKET, Key: file.key, VersionId: file.event.versionId! });
    const processedKey = `processed/${file.fileId}/orders.csv`;
    expect(s3).toHaveReceivedCommandExactlyOnceWith(CopyObjectCommand, {
      Bucket: TEST_BUCKET,
      Key: processedKey,
      CopySource: `${TEST_BUCKET}/${file.key}?versionId=${file.event.versionId}`,
    });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: TEST_BUCKET, Key: file.key }]);
    // Copied before the upload is deleted: a failure in between loses nothing.
    expect(s3.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetObjectCommand', 'CopyObjectCommand', 'DeleteObjectCommand']);

    const writes = statusWrites(file.fileId);
    expect(writes.map((write) => write.status)).toEqual(['PROCESSING', 'PROCESSED']);
    expect(writes[0]?.values).toMatchObject({ ':attempts': 1, ':fileName': 'orders.csv', ':s3Key': file.key, ':bucket': TEST_BUCKET, ':queue': 'files' });
    expect(writes[1]?.values).toMatchObject({
      ':fileName': 'orders.csv',
      ':bucket': TEST_BUCKET,
      ':s3Key': file.key,
      ':processedKey': processedKey,
      ':rowCount': 3,
      ':contentHash': sha256(ORDERS_CSV),
      ':attempts': 1,
      ':completedAt': expect.any(String),
      ':queue': 'files',
    });
    expect(documents).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ id: `content#${sha256(ORDERS_CSV)}`, fileId: file.fileId }) });

    expect(metricValues('FilesProcessed')).toEqual([1]);
    // The row count is the status item's (`:rowCount` above) and the log line's; no metric repeats it.
    expect(metricValues('RowsProcessed')).toEqual([]);
    const [latency] = emittedMetric(output.emf(), 'EndToEndLatency');
    expect(latency?.definition.Unit).toBe('Milliseconds');
    expect(latency?.document.EndToEndLatency).toBeGreaterThanOrEqual(1500);
    expect(latency?.document).toMatchObject({ service: 'file-worker', stage: 'test', queue: 'files' });
    expect(latency?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage', 'queue']] });
    expect(emittedMetric(output.emf(), 'ColdStart')).toHaveLength(1);

    expect(logLine('file processed')).toMatchObject({ fileId: file.fileId, s3Key: file.key, messageId: record.messageId, rowCount: 3, via: 'direct', service: 'file-worker' });
  });

  const DAY_MS = 24 * 3600 * 1000;
  it.each([
    ['57 years old, as in a replayed sample event', () => Date.now() - Date.parse('1970-01-01T00:00:00.000Z'), /^entered 1970-01-01T00:00:00\.\d{3}Z, longer before it completed than the 14 days any message of this queue is kept$/],
    ['older than the 14 days any message is kept', () => 15 * DAY_MS, /longer before it completed than the 14 days any message of this queue is kept$/],
    ['in the future beyond clock skew', () => -10 * 60_000, /^entered .*, 6\d\d s after it completed: more than the 300 s of clock skew allowed$/],
  ])('processes a file whose event time is %s, but emits no EndToEndLatency for it and warns why', async (_case, eventAgeMs, reason) => {
    const file = upload(ORDERS_CSV, { eventAgeMs: eventAgeMs() });

    expect(await invoke(sqsRecord(JSON.stringify(s3Event(file.event))))).toEqual({ batchItemFailures: [] });

    expect(metricValues('FilesProcessed')).toEqual([1]);
    expect(emittedMetric(output.emf(), 'EndToEndLatency')).toEqual([]);
    expect(logLine('EndToEndLatency not emitted: the entry time is implausible')).toMatchObject({ fileId: file.fileId, level: 'WARN', receivedAt: file.event.eventTime, reason: expect.stringMatching(reason) });
  });

  it('emits the EndToEndLatency of a file 13 days old: a message can be that old', async () => {
    const file = upload(ORDERS_CSV, { eventAgeMs: 13 * DAY_MS });

    await invoke(sqsRecord(JSON.stringify(s3Event(file.event))));

    expect(metricValues('EndToEndLatency')[0]).toBeGreaterThanOrEqual(13 * DAY_MS);
    expect(logLine('EndToEndLatency not emitted: the entry time is implausible')).toBeUndefined();
  });

  it('processes an SNS-wrapped S3 event the same way', async () => {
    const file = upload(ORDERS_CSV);

    const response = await invoke(sqsRecord(JSON.stringify(snsWrapped(s3Event(file.event)))));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(statusWrites(file.fileId).at(-1)).toMatchObject({ status: 'PROCESSED', values: { ':rowCount': 3 } });
    expect(logLine('file processed')).toMatchObject({ fileId: file.fileId, via: 'sns' });
  });

  it('acknowledges and logs the s3:TestEvent without touching S3 or the tables', async () => {
    const record = sqsRecord(JSON.stringify(s3TestEvent()));

    const response = await invoke(record, sqsRecord(JSON.stringify(snsWrapped(s3TestEvent()))));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.calls()).toHaveLength(0);
    expect(documents.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
    expect(logLine('s3:TestEvent acknowledged and ignored')).toMatchObject({ messageId: record.messageId, bucket: TEST_BUCKET, via: 'direct' });
  });

  it('acknowledges an unparseable body, counting it rejected and logging why with the body', async () => {
    const record = sqsRecord('{"hello": "not an S3 event"}');

    const response = await invoke(record);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(documents.calls()).toHaveLength(0);
    expect(metricValues('FilesRejected')).toEqual([1]);
    expect(logLine('message rejected: not an S3 notification; acknowledged, not retried')).toMatchObject({
      level: 'ERROR',
      messageId: record.messageId,
      reason: expect.stringMatching(/^not a valid S3 event notification: Records: /),
      bodyExcerpt: record.body,
    });
  });

  it('URL-decodes keys with spaces and unicode, and URL-encodes the copy source', async () => {
    const file = upload(ORDERS_CSV, { name: 'Q1 résumé 李雷.csv' });
    expect(file.event.encodedKey).toContain('Q1+r%C3%A9sum%C3%A9+%E6%9D%8E%E9%9B%B7.csv');

    await invoke(message(file));

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Key: `uploads/${file.fileId}/Q1 résumé 李雷.csv` });
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: `processed/${file.fileId}/Q1 résumé 李雷.csv`,
      CopySource: `${TEST_BUCKET}/uploads/${file.fileId}/Q1%20r%C3%A9sum%C3%A9%20%E6%9D%8E%E9%9B%B7.csv?versionId=${file.event.versionId}`,
    });
    expect(statusWrites(file.fileId).at(-1)?.values).toMatchObject({ ':fileName': 'Q1 résumé 李雷.csv', ':rowCount': 3 });
  });

  it('pins an unversioned upload by its ETag when reading and copying', async () => {
    const file = upload(ORDERS_CSV, { versioned: false });

    await invoke(message(file));

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Key: file.key, IfMatch: `"${file.event.eTag}"` });
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { CopySource: `${TEST_BUCKET}/${file.key}`, CopySourceIfMatch: `"${file.event.eTag}"` });
  });

  it.each([
    ['malformed CSV (wrong column count)', () => upload('id,name\n1,Ada\n2\n'), 'CsvFormatError', /^malformed CSV: the record on line 3 has 1 field, the header has 2$/],
    ['binary content', () => upload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d]), { name: 'data.csv' }), 'NotCsvError', /binary/],
    ['a non-CSV file name', () => upload('a,b\n1,2\n', { name: 'photo.png' }), 'NotCsvError', /extension \.png/],
    ['an empty file', () => upload(''), 'EmptyFileError', /empty/],
    ['a file over the size limit', () => upload('x'.repeat(1024 * 1024 + 1)), 'FileTooLargeError', /limit is 1048576/],
    ['a key outside uploads/', () => upload('a,b\n1,2\n', { key: 'incoming/orders.csv' }), 'OutsideUploadPrefixError', /not under uploads\//],
    ['a bucket other than the upload bucket', () => announcedAs(upload('a,b\n1,2\n'), { bucket: 'someone-elses' }), 'WrongBucketError', /^bucket someone-elses is not the upload bucket tidewatch-uploads$/],
    ['text that is not UTF-8', () => upload(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a])), 'NotCsvError', /UTF-8/],
    ['a quote never closed', () => upload('a,b\n"1,2\n3,4\n'), 'CsvFormatError', /^malformed CSV: the quote opened on line 2 is never closed$/],
    ['nothing but blank lines', () => upload('\n\r\n\n'), 'EmptyFileError', /^file has no header row \(only blank lines\)$/],
    ['a file larger than its event announced, and than the limit', () => announcedAs(upload('x'.repeat(1024 * 1024 + 1)), { size: 10 }), 'FileTooLargeError', /1048576/],
  ])('rejects %s: FAILED with its reason, FilesRejected, acknowledged, nothing moved', async (_case, make, errorClass, reason) => {
    const file = make();
    const record = message(file);

    const response = await invoke(record);

    expect(response).toEqual({ batchItemFailures: [] });
    const itemId = file.key.startsWith('uploads/') ? file.fileId : file.key;
    const last = statusWrites(itemId).at(-1);
    expect(last?.status).toBe('FAILED');
    expect(last?.values[':lastError']).toEqual({ class: errorClass, message: expect.stringMatching(reason), permanent: true });
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(sqs).not.toHaveReceivedCommand(ChangeMessageVisibilityCommand);
    expect(metricValues('FilesRejected')).toEqual([1]);
    expect(emittedMetric(output.emf(), 'RecordRetried')).toHaveLength(0);
    expect(logLine('record rejected: permanent failure, not retried')).toMatchObject({ messageId: record.messageId, fileId: itemId, s3Key: file.key });
  });

  it('rejects by the announced size or name without downloading', async () => {
    await invoke(message(upload('x'.repeat(1024 * 1024 + 1))), message(upload('a,b\n', { name: 'book.xlsx' })));

    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('reports only the failed record of a partial batch failure', async () => {
    const good = upload(ORDERS_CSV);
    const bad = upload(ORDERS_CSV.replace('Ada', 'Ida'));
    s3.on(GetObjectCommand, { Key: bad.key }).rejects(throttled());
    const goodRecord = message(good);
    const badRecord = message(bad);

    const response = await invoke(goodRecord, badRecord);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: badRecord.messageId }] });
    expect(statusWrites(good.fileId).at(-1)?.status).toBe('PROCESSED');
    expect(statusWrites(bad.fileId).at(-1)?.status).toBe('PROCESSING');
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(ChangeMessageVisibilityCommand, { ReceiptHandle: badRecord.receiptHandle });
    // Each record's log lines carry that record's correlation ids.
    expect(logLine('file processed')).toMatchObject({ messageId: goodRecord.messageId, fileId: good.fileId });
    expect(logLine('record failed: transient, retrying after backoff')).toMatchObject({ messageId: badRecord.messageId, fileId: bad.fileId, s3Key: bad.key });
  });

  it('skips a repeated delivery of the same object version (a new messageId): processed once', async () => {
    const file = upload(ORDERS_CSV);

    await invoke(message(file, { messageId: 'first-delivery' }));
    const response = await invoke(message(file, { messageId: 'redelivery' }));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(s3).toHaveReceivedCommandTimes(CopyObjectCommand, 1);
    expect(statusWrites(file.fileId).map((write) => write.status)).toEqual(['PROCESSING', 'PROCESSED']);
    expect(metricValues('FilesProcessed')).toEqual([1]);
    expect(logLine('object version already handled: repeated delivery skipped')).toMatchObject({ messageId: 'redelivery', fileId: file.fileId, status: 'PROCESSED' });
    // Both deliveries used one idempotency key: bucket + key + version, never the messageId.
    const keys = dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^file-worker#/);
  });

  it('processes a new version of the same key again', async () => {
    const file = upload(ORDERS_CSV);
    await invoke(message(file));

    await invoke(message({ ...file, event: { ...file.event, versionId: 'a-newer-version' } }));

    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
  });

  it('records a second upload of the same content as DUPLICATE of the first, without moving it', async () => {
    const first = upload(ORDERS_CSV);
    const second = upload(ORDERS_CSV, { name: 'orders-again.csv' });

    await invoke(message(first));
    const response = await invoke(message(second));

    expect(response).toEqual({ batchItemFailures: [] });
    const last = statusWrites(second.fileId).at(-1);
    expect(last?.status).toBe('DUPLICATE');
    expect(last?.values).toMatchObject({ ':duplicateOf': first.fileId, ':contentHash': sha256(ORDERS_CSV), ':rowCount': 3, ':fileName': 'orders-again.csv' });
    expect(s3).not.toHaveReceivedCommandWith(CopyObjectCommand, { CopySource: expect.stringContaining(second.key) });
    expect(s3).not.toHaveReceivedCommandWith(DeleteObjectCommand, { Key: second.key });
    expect(metricValues('FilesDuplicate')).toEqual([1]);
    expect(metricValues('FilesProcessed')).toEqual([1]);
    expect(logLine('duplicate content: recorded DUPLICATE, not ingested again')).toMatchObject({ fileId: second.fileId, duplicateOf: first.fileId });
  });

  it.each([
    [1, 10],
    [2, 20],
  ])('retries a transient S3 error on receive %i after %i s, recording the attempt, not rejecting', async (receiveCount, seconds) => {
    const file = upload(ORDERS_CSV);
    s3.on(GetObjectCommand).rejects(throttled());
    const record = message(file, { receiveCount });

    const response = await invoke(record);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(ChangeMessageVisibilityCommand, {
      QueueUrl: process.env.QUEUE_URL!,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    });
    const last = statusWrites(file.fileId).at(-1);
    expect(last?.status).toBe('PROCESSING');
    expect(last?.values).toMatchObject({ ':attempts': receiveCount, ':lastError': { class: 'SlowDown', permanent: false } });
    expect(metricValues('RecordRetried')).toEqual([1]);
    expect(emittedMetric(output.emf(), 'FilesRejected')).toHaveLength(0);
    // The failed run gave up its idempotency record, so the retry runs again.
    expect(dynamodb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
  });

  /**
   * Transient: the file may be fine, the environment was not. A missing permission fails every attempt
   * too, but a person fixes it and then a retry or a redrive succeeds: it must page, not pass as bad input.
   */
  it.each<[string, (file: Upload) => void, string, RegExp]>([
    ['S3 throttling the download', () => s3.on(GetObjectCommand).rejects(throttled()), 'SlowDown', /^Please reduce your request rate\.$/],
    [
      'S3 refusing the download for want of a permission',
      () => s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } })),
      'AccessDenied',
      /^Access Denied$/,
    ],
    [
      'a download that ends before the announced length',
      (file) => s3.on(GetObjectCommand).callsFake(() => ({ Body: sdkStreamMixin(Readable.from([objects.get(file.key)!.subarray(0, 10)])), ContentLength: objects.get(file.key)!.length })),
      'IncompleteDownloadError',
      /^read 10 of \d+ bytes$/,
    ],
    ['S3 failing the move to processed/', () => s3.on(CopyObjectCommand).rejects(new S3ServiceException({ name: 'InternalError', $fault: 'server', message: 'We encountered an internal error.', $metadata: { httpStatusCode: 500 } })), 'InternalError', /internal error/],
    ['S3 failing the removal of the upload', () => s3.on(DeleteObjectCommand).rejects(throttled()), 'SlowDown', /reduce your request rate/],
  ])('transient: %s is retried after a backoff, its reason recorded, not rejected', async (_case, arrange, errorClass, reason) => {
    const file = upload(ORDERS_CSV);
    arrange(file);
    const record = message(file);

    expect(await invoke(record)).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });

    expect(statusWrites(file.fileId).at(-1)).toMatchObject({ status: 'PROCESSING', values: { ':lastError': { class: errorClass, permanent: false, message: expect.stringMatching(reason) } } });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { ReceiptHandle: record.receiptHandle, VisibilityTimeout: 10 });
    expect(metricValues('RecordRetried')).toEqual([1]);
    expect(emittedMetric(output.emf(), 'FilesRejected')).toHaveLength(0);
  });

  it('on the final attempt records FAILED and emits the high-resolution DeadLettered metric', async () => {
    const file = upload(ORDERS_CSV);
    s3.on(GetObjectCommand).rejects(throttled());
    const record = message(file, { receiveCount: 3 });

    const response = await invoke(record);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    // Made visible at once so SQS moves it to the DLQ on the next receive.
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.VisibilityTimeout)).toEqual([0]);
    const last = statusWrites(file.fileId).at(-1);
    expect(last?.status).toBe('FAILED');
    expect(last?.values).toMatchObject({ ':attempts': 3, ':lastError': { class: 'SlowDown', permanent: false } });

    const [deadLettered] = emittedMetric(output.emf(), 'DeadLettered');
    expect(deadLettered?.definition).toEqual({ Name: 'DeadLettered', Unit: 'Count', StorageResolution: 1 });
    expect(deadLettered?.document).toMatchObject({ DeadLettered: 1, service: 'file-worker', stage: 'test', queue: 'files' });
    expect(deadLettered?.document._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Tidewatch', Dimensions: [['service', 'stage', 'queue']] });
    expect(emittedMetric(output.emf(), 'FilesRejected')).toHaveLength(0);
  });

  it('rejects an announced version that no longer exists as permanent', async () => {
    const file = upload(ORDERS_CSV);
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', message: 'The specified version does not exist.', $metadata: { httpStatusCode: 404 } }));

    const response = await invoke(message(file));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(statusWrites(file.fileId).at(-1)?.values[':lastError']).toMatchObject({ class: 'ObjectGoneError', permanent: true, message: expect.stringContaining('NoSuchVersion') });
  });

  it('gives up its content claim when the move fails, so an identical upload is not marked a duplicate of a file that never completed', async () => {
    const failed = upload(ORDERS_CSV);
    s3.on(CopyObjectCommand).rejectsOnce(throttled()).resolves({});

    const first = await invoke(message(failed, { receiveCount: 3 }));
    expect(first.batchItemFailures).toHaveLength(1);
    expect(statusWrites(failed.fileId).at(-1)?.status).toBe('FAILED');
    expect(documents).toHaveReceivedCommandWith(DeleteCommand, {
      Key: { id: `content#${sha256(ORDERS_CSV)}` },
      ExpressionAttributeValues: { ':fileId': failed.fileId },
    });

    const again = upload(ORDERS_CSV, { name: 'orders-again.csv' });
    await invoke(message(again));
    expect(statusWrites(again.fileId).at(-1)?.status).toBe('PROCESSED');
  });

  it('retries, without recording a failure, a version another delivery is processing right now', async () => {
    const file = upload(ORDERS_CSV);
    dynamodb.on(PutItemCommand).rejects(
      new (await import('@aws-sdk/client-dynamodb')).ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          id: { S: 'file-worker#in-flight' },
          status: { S: 'INPROGRESS' },
          expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
          in_progress_expiration: { N: String(Date.now() + 60_000) },
        },
      }),
    );
    const record = message(file);

    const response = await invoke(record);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(statusWrites(file.fileId)).toEqual([]);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });
});
