import { describe, expect, it } from 'vitest';
import { s3Event, s3TestEvent, snsWrapped, TEST_BUCKET } from '../../test/support/handlers/s3-notifications';
import { businessKeysOf } from './business-keys';
import { UnparseableMessageError } from './errors';

const FILE_ID = '0d6f1c5e-3b8a-4c1e-9a57-2f0e8b6d4c21';

describe('businessKeysOf (files queue)', () => {
  it('keys each announced object version by its fileId, and bucket + key + version for idempotency', () => {
    const body = JSON.stringify(s3Event({ encodedKey: `uploads/${FILE_ID}/orders.csv`, versionId: 'v1' }, { encodedKey: 'uploads/other+name.csv', eTag: 'e7' }));

    expect(businessKeysOf(body)).toEqual([
      { id: FILE_ID, idempotencyKey: [TEST_BUCKET, `uploads/${FILE_ID}/orders.csv`, 'v:v1'] },
      { id: 'other name.csv', idempotencyKey: [TEST_BUCKET, 'uploads/other name.csv', 'etag:e7'] },
    ]);
  });

  it('gives the same keys for the SNS-wrapped event', () => {
    const event = s3Event({ encodedKey: `uploads/${FILE_ID}/orders.csv`, versionId: 'v1' });
    expect(businessKeysOf(JSON.stringify(snsWrapped(event)))).toEqual(businessKeysOf(JSON.stringify(event)));
  });

  it('has no key for an s3:TestEvent or an event without ObjectCreated records', () => {
    expect(businessKeysOf(JSON.stringify(s3TestEvent()))).toEqual([]);
    expect(businessKeysOf(JSON.stringify(s3Event({ encodedKey: 'uploads/a.csv', eventName: 'ObjectRemoved:Delete' })))).toEqual([]);
  });

  it('throws UnparseableMessageError for a body that is no S3 notification', () => {
    expect(() => businessKeysOf('{"jobId":"x"}')).toThrow(UnparseableMessageError);
  });
});
