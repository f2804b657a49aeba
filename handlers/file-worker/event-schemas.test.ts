import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { SnsSqsNotificationSchema as PowertoolsSnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { describe, expect, it } from 'vitest';
import { s3Event, s3TestEvent, snsWrapped } from '../../test/support/handlers/s3-notifications';
import { S3EventRecordSchema, SnsSqsNotificationSchema } from './event-schemas';

const record = s3Event({ encodedKey: 'uploads/a/orders.csv', versionId: 'v1', size: 42 }).Records[0] as Record<string, any>;
const withS3 = (s3: Record<string, unknown>) => ({ ...record, s3: { ...record.s3, ...s3 } });
const notification = snsWrapped(s3TestEvent());

/** Each schema gives the same answer as Powertools' own: the same data, or a failure at the same paths. */
function expectSameAnswer(ours: { safeParse(value: unknown): any }, theirs: { safeParse(value: unknown): any }, value: unknown): void {
  const [mine, reference] = [ours.safeParse(value), theirs.safeParse(value)];
  expect(mine.success).toBe(reference.success);
  if (reference.success) expect(mine.data).toEqual(reference.data);
  else expect(mine.error.issues.map((issue: { path: unknown[] }) => issue.path)).toEqual(reference.error.issues.map((issue: { path: unknown[] }) => issue.path));
}

describe('S3EventRecordSchema', () => {
  const powertools = S3Schema.shape.Records.element;
  it.each([
    ['a record as S3 sends it', record],
    ['an unversioned object', withS3({ object: { key: 'k', eTag: 'e' } })],
    ['a restore with its glacier data', { ...record, glacierEventData: { restoreEventData: { lifecycleRestorationExpiryTime: 't', lifecycleRestoreStorageClass: 'GLACIER' } } }],
    ['another event source', { ...record, eventSource: 'aws:sqs' }],
    ['an eventTime that is no timestamp', { ...record, eventTime: 'yesterday' }],
    ['an IPv6 source', { ...record, requestParameters: { sourceIPAddress: '2001:db8::7' } }],
    ['S3 itself as source', { ...record, requestParameters: { sourceIPAddress: 's3.amazonaws.com' } }],
    ['a record without its bucket', withS3({ bucket: undefined })],
    ['a size that is text', withS3({ object: { key: 'k', size: '42' } })],
    ['no response elements', { ...record, responseElements: undefined }],
  ])('answers as Powertools does: %s', (_case, value) => expectSameAnswer(S3EventRecordSchema, powertools, value));
});

describe('SnsSqsNotificationSchema', () => {
  it.each([
    ['a notification as SQS receives it', notification],
    ['no subject', { ...notification, Subject: null }],
    ['message attributes', { ...notification, MessageAttributes: { a: { Type: 'String', Value: 'x' } } }],
    ['no TopicArn', { ...notification, TopicArn: undefined }],
    ['another type', { ...notification, Type: 'SubscriptionConfirmation' }],
    ['a signing certificate that is no URL', { ...notification, SigningCertURL: 'not a url' }],
    ['a Timestamp that is no timestamp', { ...notification, Timestamp: 'now' }],
  ])('answers as Powertools does: %s', (_case, value) => expectSameAnswer(SnsSqsNotificationSchema, PowertoolsSnsSqsNotificationSchema, value));
});
