/**
 * The shapes of the events the files queue carries: an S3 event notification record and an SNS
 * notification delivered to SQS, field for field as the Powertools parser schemas (`schemas/s3`,
 * `schemas/sns`) define them; event-schemas.test.ts holds them to those schemas.
 * Written here with `zod/mini` (../shared/zod-mini.ts says why): Powertools' schema modules import zod's `z`
 * namespace object, which esbuild cannot tree-shake, and they brought all of zod (every locale, ~440 KB)
 * and every other event schema of their modules into the worker's cold start.
 */
import * as z from '../shared/zod-mini';

const S3Identity = z.object({ principalId: z.string() });

export const S3EventRecordSchema = z.object({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.iso.datetime(),
  eventName: z.string(),
  userIdentity: S3Identity,
  requestParameters: z.object({ sourceIPAddress: z.union([z.ipv4(), z.literal('s3.amazonaws.com')]) }),
  responseElements: z.object({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
  s3: z.object({
    s3SchemaVersion: z.string(),
    configurationId: z.string(),
    object: z.object({
      key: z.string(),
      size: z.optional(z.number()),
      urlDecodedKey: z.optional(z.string()),
      eTag: z.optional(z.string()),
      sequencer: z.optional(z.string()),
      versionId: z.optional(z.string()),
    }),
    bucket: z.object({ name: z.string(), ownerIdentity: S3Identity, arn: z.string() }),
  }),
  glacierEventData: z.optional(
    z.object({ restoreEventData: z.object({ lifecycleRestorationExpiryTime: z.string(), lifecycleRestoreStorageClass: z.string() }) }),
  ),
});

export const SnsSqsNotificationSchema = z.object({
  Subject: z.nullish(z.string()),
  TopicArn: z.string(),
  UnsubscribeURL: z.optional(z.string()),
  SigningCertURL: z.optional(z.url()),
  Type: z.literal('Notification'),
  MessageAttributes: z.optional(z.record(z.string(), z.object({ Type: z.string(), Value: z.string() }))),
  Message: z.string(),
  MessageId: z.string(),
  Signature: z.optional(z.string()),
  SignatureVersion: z.optional(z.string()),
  Timestamp: z.iso.datetime(),
});
