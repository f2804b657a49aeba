import { describe, expect, it } from 'vitest';
import { UnparseableMessageError } from './errors';
import { parseNotification } from './notification';
import { s3Event, s3TestEvent, snsWrapped, TEST_BUCKET } from '../../test/support/handlers/s3-notifications';

const EVENT_TIME = '2030-01-01T00:00:00.000Z';

describe('parseNotification', () => {
  it('reads a direct S3 event: bucket, decoded key, version, size, eventTime', () => {
    const body = JSON.stringify(s3Event({ encodedKey: 'uploads/a/orders.csv', versionId: 'v1', eTag: 'abc', size: 42, eventTime: EVENT_TIME }));
    expect(parseNotification(body)).toEqual({
      kind: 'objects',
      via: 'direct',
      ignoredEvents: [],
      files: [{ bucket: TEST_BUCKET, key: 'uploads/a/orders.csv', versionId: 'v1', eTag: 'abc', version: 'v:v1', size: 42, eventTime: EVENT_TIME }],
    });
  });

  it('reads the same event wrapped in an SNS notification', () => {
    const event = s3Event({ encodedKey: 'uploads/a/orders.csv', versionId: 'v1', eventTime: EVENT_TIME });
    const direct = parseNotification(JSON.stringify(event));
    expect(parseNotification(JSON.stringify(snsWrapped(event)))).toEqual({ ...direct, via: 'sns' });
  });

  it('pins an unversioned object by its eTag', () => {
    const notification = parseNotification(JSON.stringify(s3Event({ encodedKey: 'uploads/x.csv', eTag: 'e7' })));
    expect(notification).toMatchObject({ files: [{ version: 'etag:e7', versionId: undefined }] });
  });

  it.each([
    ['spaces as +', 'uploads/id/my+report+2030.csv', 'uploads/id/my report 2030.csv'],
    ['a literal plus', 'uploads/id/a%2Bb.csv', 'uploads/id/a+b.csv'],
    ['unicode', 'uploads/id/r%C3%A9sum%C3%A9+%E6%9D%8E%E9%9B%B7.csv', 'uploads/id/résumé 李雷.csv'],
  ])('URL-decodes keys: %s', (_case, encodedKey, key) => {
    expect(parseNotification(JSON.stringify(s3Event({ encodedKey })))).toMatchObject({ files: [{ key }] });
  });

  it('accepts an upload from an IPv6 client (S3 dual-stack endpoints)', () => {
    const body = JSON.stringify(s3Event({ encodedKey: 'uploads/x.csv', sourceIPAddress: '2001:db8::7' }));
    expect(parseNotification(body)).toMatchObject({ kind: 'objects', files: [{ key: 'uploads/x.csv' }] });
  });

  it('recognises the s3:TestEvent, directly and through SNS', () => {
    expect(parseNotification(JSON.stringify(s3TestEvent()))).toEqual({ kind: 'test', via: 'direct', bucket: TEST_BUCKET });
    expect(parseNotification(JSON.stringify(snsWrapped(s3TestEvent())))).toEqual({ kind: 'test', via: 'sns', bucket: TEST_BUCKET });
  });

  it('keeps ObjectCreated records and lists the others as ignored', () => {
    const body = JSON.stringify(s3Event({ encodedKey: 'uploads/a.csv' }, { encodedKey: 'uploads/b.csv', eventName: 'ObjectRemoved:Delete' }));
    expect(parseNotification(body)).toMatchObject({ files: [{ key: 'uploads/a.csv' }], ignoredEvents: ['ObjectRemoved:Delete'] });
  });

  it.each([
    ['a body that is not JSON', 'hello', /^message body is not JSON: /],
    ['JSON that is no S3 event', JSON.stringify({ jobId: 'x' }), /^not a valid S3 event notification: .*Records/],
    ['an S3 event without records', JSON.stringify({ Records: [] }), /^not a valid S3 event notification: /],
    ['an S3 record missing its bucket', JSON.stringify({ Records: [{ ...s3Event({ encodedKey: 'k' }).Records[0] as object, s3: { object: { key: 'k' } } }] }), /s3/],
    ['an SNS notification whose Message is not JSON', JSON.stringify({ ...snsWrapped({}), Message: 'plain text' }), /^SNS Message is not JSON: /],
    ['an SNS notification without a TopicArn', JSON.stringify({ ...snsWrapped(s3TestEvent()), TopicArn: undefined }), /^not a valid SNS notification: .*TopicArn/],
    ['a key with broken URL encoding', JSON.stringify(s3Event({ encodedKey: 'uploads/100%.csv' })), /is not valid URL encoding/],
  ])('rejects %s as unparseable, saying why', (_case, body, reason) => {
    expect(() => parseNotification(body)).toThrow(UnparseableMessageError);
    expect(() => parseNotification(body)).toThrow(reason);
  });
});
