/**
 * What one files-queue message announces. The body is one of: an S3 event notification sent straight to
 * the queue, the same event wrapped in an SNS notification (fan-out topic, raw delivery off), or the
 * `s3:TestEvent` S3 sends when a notification configuration is saved (directly or through SNS).
 * Shapes are the Powertools parser schemas' (event-schemas.ts); anything else is an UnparseableMessageError.
 */
import { describeIssues } from '../shared/errors';
import * as z from '../shared/zod-mini';
import { UnparseableMessageError } from './errors';
import { S3EventRecordSchema, SnsSqsNotificationSchema } from './event-schemas';
import { decodeS3Key } from './s3-layout';

// Powertools' S3 record takes only IPv4 (or s3.amazonaws.com) as sourceIPAddress, but uploads through
// S3's dual-stack endpoints carry an IPv6 address: widened so those files are not refused as unparseable.
const S3RecordSchema = z.extend(S3EventRecordSchema, {
  requestParameters: z.object({ sourceIPAddress: z.string() }),
});
const S3EventSchema = z.object({ Records: z.array(S3RecordSchema).check(z.minLength(1)) });

// Powertools has no schema for the test message (it is not an event: no Records), so this one is ours.
const S3TestEventSchema = z.object({
  Service: z.literal('Amazon S3'),
  Event: z.literal('s3:TestEvent'),
  Bucket: z.string(),
});

/** One uploaded object version, as the event announced it. */
export interface FileRef {
  readonly bucket: string;
  /** URL-decoded key. */
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  /** What pins this exact upload: `v:<versionId>`, or `etag:<eTag>` when the bucket is unversioned. */
  readonly version: string;
  /** Size in bytes, as the event announced it. */
  readonly size?: number;
  /** When S3 saw the upload (ISO-8601): the start of the end-to-end latency. */
  readonly eventTime: string;
}

export type Notification =
  | { readonly kind: 'test'; readonly via: Delivery; readonly bucket: string }
  | { readonly kind: 'objects'; readonly via: Delivery; readonly files: readonly FileRef[]; readonly ignoredEvents: readonly string[] };

/** How the event reached the queue. */
export type Delivery = 'direct' | 'sns';

export function parseNotification(body: string): Notification {
  const json = parseJson(body, 'message body');
  if (isRecord(json) && json.Type === 'Notification') {
    const sns = parseWith(SnsSqsNotificationSchema, json, 'SNS notification');
    return fromS3Payload(parseJson(sns.Message, 'SNS Message'), 'sns');
  }
  return fromS3Payload(json, 'direct');
}

function fromS3Payload(json: unknown, via: Delivery): Notification {
  if (isRecord(json) && json.Event === 's3:TestEvent') {
    return { kind: 'test', via, bucket: parseWith(S3TestEventSchema, json, 's3:TestEvent').Bucket };
  }
  const event = parseWith(S3EventSchema, json, 'S3 event notification');
  const created = event.Records.filter((record) => record.eventName.startsWith('ObjectCreated:'));
  return {
    kind: 'objects',
    via,
    files: created.map(toFileRef),
    ignoredEvents: event.Records.filter((record) => !created.includes(record)).map((record) => record.eventName),
  };
}

function toFileRef(record: z.infer<typeof S3RecordSchema>): FileRef {
  const { object, bucket } = record.s3;
  const key = decodeS3Key(object.key);
  const version = object.versionId !== undefined ? `v:${object.versionId}` : object.eTag !== undefined ? `etag:${object.eTag}` : undefined;
  if (version === undefined) throw new UnparseableMessageError(`S3 record for ${key} has neither versionId nor eTag`);
  return {
    bucket: bucket.name,
    key,
    version,
    versionId: object.versionId,
    eTag: object.eTag,
    size: object.size,
    eventTime: record.eventTime,
  };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnparseableMessageError(`${what} is not JSON: ${(error as Error).message}`);
  }
}

function parseWith<T extends z.ZodMiniType>(schema: T, json: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(json);
  if (!result.success) throw new UnparseableMessageError(`not a valid ${what}: ${describeIssues(result.error.issues)}`);
  return result.data;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
