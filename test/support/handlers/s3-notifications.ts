/**
 * Test-only builders of the notifications the files queue carries, in the JSON shapes AWS sends:
 * an S3 event, the same event wrapped by SNS (raw delivery off) and the s3:TestEvent.
 */
export interface S3ObjectEventOptions {
  readonly bucket?: string;
  /** The key as S3 puts it in the event: URL-encoded, `+` for spaces. */
  readonly encodedKey: string;
  readonly size?: number;
  readonly eTag?: string;
  /** Omit for an unversioned bucket. */
  readonly versionId?: string;
  readonly eventName?: string;
  readonly eventTime?: string;
  readonly sourceIPAddress?: string;
}

export const TEST_BUCKET = 'tidewatch-uploads';

export function s3Event(...objects: S3ObjectEventOptions[]): { Records: unknown[] } {
  return {
    Records: objects.map((object) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: object.eventTime ?? new Date().toISOString(),
      eventName: object.eventName ?? 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      requestParameters: { sourceIPAddress: object.sourceIPAddress ?? '198.51.100.7' },
      responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'uploads-created',
        bucket: { name: object.bucket ?? TEST_BUCKET, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${object.bucket ?? TEST_BUCKET}` },
        object: {
          key: object.encodedKey,
          size: object.size ?? 100,
          eTag: object.eTag ?? 'd41d8cd98f00b204e9800998ecf8427e',
          ...(object.versionId !== undefined ? { versionId: object.versionId } : {}),
          sequencer: '0055AED6DCD90281E5',
        },
      },
    })),
  };
}

/** An SNS notification as SQS receives it from a subscription with raw delivery off. */
export function snsWrapped(message: unknown): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:tidewatch-uploads-fanout',
    Subject: 'Amazon S3 Notification',
    Message: JSON.stringify(message),
    Timestamp: '2030-01-01T00:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:tidewatch-uploads-fanout:0000',
  };
}

/** What S3 sends when a bucket's notification configuration is saved. */
export function s3TestEvent(bucket = TEST_BUCKET): Record<string, unknown> {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2030-01-01T00:00:00.000Z', Bucket: bucket, RequestId: '5582815E1AEA5ADF', HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE' };
}
