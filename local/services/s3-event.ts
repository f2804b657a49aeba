/**
 * The S3 event notification JSON, field for field as AWS sends it (event version 2.1). Hand-written:
 * no emulator or library produces it.
 */
import { LOCAL_REGION } from '../template/resource-identity';
import type { NotificationRule } from '../template/model';

export type ObjectCreatedKind = 'Put' | 'Copy' | 'CompleteMultipartUpload';

export interface ObjectCreated {
  readonly kind: ObjectCreatedKind;
  readonly bucket: string;
  /** The key as stored (not encoded). */
  readonly key: string;
  readonly size: number;
  /** Without quotes. */
  readonly eTag: string;
  readonly versionId?: string;
  readonly sequencer: string;
  readonly eventTime: Date;
  /** `AWS:<access key>` of the caller, or `anonymous`. */
  readonly principalId: string;
  readonly sourceIPAddress: string;
  readonly requestId: string;
  readonly hostId: string;
}

/** The account that owns every local bucket. */
const OWNER_PRINCIPAL_ID = '000000000000';

/**
 * Keys in S3 events are form-encoded (`red flower.jpg` → `red+flower.jpg`, `(` → `%28`), slashes kept:
 * only `A-Z a-z 0-9 . - * _` stay as they are.
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** Whether a rule fires for this event and key (event wildcards, prefix and suffix filters). */
export function ruleMatches(rule: NotificationRule, kind: ObjectCreatedKind, key: string): boolean {
  const eventName = `s3:ObjectCreated:${kind}`;
  const eventMatches = rule.events.some((event) => event === eventName || event === 's3:ObjectCreated:*');
  return eventMatches && key.startsWith(rule.prefix ?? '') && key.endsWith(rule.suffix ?? '');
}

export function objectCreatedEvent(event: ObjectCreated, configurationId: string): { Records: unknown[] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: event.eventTime.toISOString(),
        eventName: `ObjectCreated:${event.kind}`,
        userIdentity: { principalId: event.principalId },
        requestParameters: { sourceIPAddress: event.sourceIPAddress },
        responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': event.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: { name: event.bucket, ownerIdentity: { principalId: OWNER_PRINCIPAL_ID }, arn: `arn:aws:s3:::${event.bucket}` },
          object: {
            key: encodeEventKey(event.key),
            size: event.size,
            eTag: event.eTag,
            ...(event.versionId ? { versionId: event.versionId } : {}),
            sequencer: event.sequencer,
          },
        },
      },
    ],
  };
}

/** What S3 sends each destination when a notification configuration is set. */
export function testEvent(bucket: string, time: Date, requestId: string, hostId: string): Record<string, string> {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: time.toISOString(), Bucket: bucket, RequestId: requestId, HostId: hostId };
}

/** Increasing hex sequencers: later events on a key sort after earlier ones, as S3 guarantees. */
export function sequencerSource(): () => string {
  let last = 0n;
  return () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    last = now > last ? now : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
}
