/**
 * S3 at the gateway: fauxqs stores the objects; the gateway first refuses what S3 would refuse to
 * anyone (unsigned requests, presigned URLs that do not verify: s3-request-auth.ts), then adds event
 * notifications after PutObject, CopyObject and CompleteMultipartUpload, accepts a plain
 * `curl --data-binary` PUT, answers the bucket subresources the project reads and rejects the others
 * by name.
 */
import { HeadBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Backend } from './backend';
import type { BackendClients } from './backend-clients';
import { AwsServiceError, unsupportedOperation } from './aws-errors';
import { header, type HandlerResult, type InboundRequest, type LocalService } from './local-service';
import { Proxy, responseHeaders } from './proxy';
import { checkCopySourceConditions } from './s3-copy-conditions';
import type { ObjectCreatedKind } from './s3-event';
import { randomHostId, randomRequestId } from './s3-ids';
import { DIRECT_PUT_LIMIT, putLargeObject } from './s3-large-put';
import type { S3Notifications } from './s3-notifications';
import { corsHeaders, preflightAnswer } from './s3-cors';
import { authorizeS3Request } from './s3-request-auth';
import type { S3CorsRule } from '../template/model';
import { element } from './xml';

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** S3 subresources (query parameters naming a management API); only some are emulated. */
const SUBRESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus',
  'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'tagging', 'torrent', 'versioning',
  'versions', 'website', 'uploads',
]);

/** Subresource operations whose AWS name is not `<Verb><Bucket|Object><Subresource>`. */
const OPERATION_NAMES: Record<string, string> = { versions: 'ListObjectVersions', uploads: 'ListMultipartUploads', restore: 'RestoreObject', select: 'SelectObjectContent' };

interface S3Address {
  readonly bucket?: string;
  readonly key?: string;
  readonly query: URLSearchParams;
}

/** What fauxqs 1.9.2 implements (its README's S3 table), and the bucket subresources answered here. */
const SUPPORTED_OPERATIONS = [
  'CreateBucket', 'HeadBucket', 'DeleteBucket', 'ListBuckets', 'ListObjects', 'ListObjectsV2', 'PutObject', 'GetObject', 'HeadObject',
  'CopyObject', 'DeleteObject', 'DeleteObjects', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload',
  'GetBucketLocation', 'GetBucketVersioning', 'GetBucketNotificationConfiguration',
];

/** The REST fallback: every REST request signed for S3, unsigned or presigned that no other service's operation matches. */
export class S3Service implements LocalService {
  readonly name = 'S3';
  readonly routes = { signingName: 's3', protocol: 'rest-xml', restFallback: true } as const;
  readonly supports = SUPPORTED_OPERATIONS;

  /** The bucket subresources answered here (GET on the bucket): their XML, by subresource. */
  private readonly bucketSubresources = new Map<string, (bucket: string) => string>([
    ['location', () => `<LocationConstraint xmlns="${S3_XMLNS}"/>`],
    // Honest about the emulator: local buckets are not versioned whatever the template says.
    ['versioning', () => `<VersioningConfiguration xmlns="${S3_XMLNS}"/>`],
    ['notification', (bucket) => this.notificationXml(bucket)],
  ]);

  constructor(
    private readonly proxy: Proxy,
    private readonly fauxqs: Backend,
    private readonly clients: BackendClients,
    private readonly notifications: S3Notifications,
    private readonly nextSequencer: () => string,
    private readonly onWarning: (message: string) => void,
    /** Each bucket's CORS rules, by name. */
    private readonly corsRules: ReadonlyMap<string, readonly S3CorsRule[]> = new Map(),
  ) {}

  async handle(request: InboundRequest): Promise<HandlerResult> {
    const address = s3Address(request);
    const rules = (address.bucket && this.corsRules.get(address.bucket)) || [];
    if (request.method === 'OPTIONS') return { status: 200, headers: preflightAnswer(rules, request) };
    const answer = await this.answer(request, address);
    const cors = corsHeaders(rules, request);
    return Object.keys(cors).length === 0 ? answer : { ...answer, headers: { ...answer.headers, ...cors } } as HandlerResult;
  }

  private async answer(request: InboundRequest, address: S3Address): Promise<HandlerResult> {
    await authorizeS3Request(request);
    const subresource = [...address.query.keys()].find((name) => SUBRESOURCES.has(name));
    if (subresource && !(subresource === 'uploads' && request.method === 'POST' && address.key)) {
      return this.subresource(request.method, address, subresource);
    }
    const kind = createdKind(request, address);
    if (!kind || !address.bucket || !address.key) {
      const response = await this.proxy.forward(this.fauxqs, request);
      return { status: response.statusCode ?? 502, headers: responseHeaders(response, true), stream: response };
    }
    if (kind === 'Copy') await checkCopySourceConditions(this.clients.s3, request.headers);
    const response =
      kind === 'Put' && request.body.length > DIRECT_PUT_LIMIT
        ? await putLargeObject(this.clients.s3, address.bucket, address.key, request.body, request.headers)
        : await this.proxy.exchange(this.fauxqs, { ...request, headers: storableHeaders(request) });
    // Notified before answering, so a client that got its 200 finds the event already queued; the
    // object is stored either way, so a failed notification is reported, not returned.
    if (response.status === 200 && this.notifications.watches(address.bucket, kind, address.key)) {
      await this.notify(kind, address.bucket, address.key, request, response.headers ?? {}).catch((error: Error) =>
        this.onWarning(`S3 notification for s3://${address.bucket}/${address.key} failed: ${error.message}`),
      );
    }
    return response;
  }

  private async notify(kind: ObjectCreatedKind, bucket: string, key: string, request: InboundRequest, headers: Record<string, string>) {
    const head = await this.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const accessKey = callerAccessKey(request);
    await this.notifications.objectCreated({
      kind,
      bucket,
      key,
      size: head.ContentLength ?? 0,
      eTag: (head.ETag ?? '').replace(/"/g, ''),
      versionId: head.VersionId,
      sequencer: this.nextSequencer(),
      eventTime: new Date(),
      principalId: accessKey ? `AWS:${accessKey}` : 'anonymous',
      sourceIPAddress: ipv4(request.remoteAddress),
      requestId: headers['x-amz-request-id'] ?? randomRequestId(),
      // fauxqs answers a constant x-amz-id-2; events carry a real-looking one.
      hostId: randomHostId(),
    });
  }

  private async subresource(method: string, address: S3Address, subresource: string): Promise<HandlerResult> {
    const answer = method === 'GET' && address.bucket && !address.key ? this.bucketSubresources.get(subresource) : undefined;
    if (!answer || !address.bucket) throw unsupportedOperation('S3', operationName(method, address, subresource));
    await this.requireBucket(address.bucket);
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${answer(address.bucket)}` };
  }

  /** The bucket subresources answered here exist only for a bucket fauxqs has. */
  private async requireBucket(bucket: string): Promise<void> {
    try {
      await this.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
      throw new AwsServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
    }
  }

  private notificationXml(bucket: string): string {
    const configurations = this.notifications.rules(bucket).map((rule) => {
      const filterRules = [
        rule.prefix !== undefined ? element('FilterRule', [element('Name', 'prefix'), element('Value', rule.prefix)]) : '',
        rule.suffix !== undefined ? element('FilterRule', [element('Name', 'suffix'), element('Value', rule.suffix)]) : '',
      ].join('');
      const [tag, arnTag] = rule.destination.service === 'sqs' ? ['QueueConfiguration', 'Queue'] : ['TopicConfiguration', 'Topic'];
      return element(tag, [
        element('Id', rule.id),
        element(arnTag, rule.destination.arn),
        ...rule.events.map((event) => element('Event', event)),
        filterRules ? element('Filter', [element('S3Key', [filterRules])]) : '',
      ]);
    });
    return `<NotificationConfiguration xmlns="${S3_XMLNS}">${configurations.join('')}</NotificationConfiguration>`;
  }
}

/** Bucket and key, path-style or virtual-hosted-style (the same rule fauxqs applies). */
function s3Address(request: InboundRequest): S3Address {
  const [rawPath, rawQuery = ''] = request.url.split('?', 2);
  const query = new URLSearchParams(rawQuery);
  const hostname = (header(request.headers, 'host') ?? '').replace(/:\d+$/, '');
  const virtualHosted = hostname.includes('.') && !/^\d+\.\d+\.\d+\.\d+$/.test(hostname);
  const segments = rawPath.split('/').slice(1);
  const [bucket, keySegments] = virtualHosted ? [hostname.split('.')[0], segments] : [segments[0], segments.slice(1)];
  const key = keySegments.length > 0 ? decodeURIComponent(keySegments.join('/')) : undefined;
  return { bucket: bucket ? decodeURIComponent(bucket) : undefined, key: key || undefined, query };
}

/** Which ObjectCreated event a successful request of this shape causes, if any. */
function createdKind(request: InboundRequest, address: S3Address): ObjectCreatedKind | undefined {
  if (request.method === 'PUT' && address.key && !address.query.has('uploadId')) {
    return header(request.headers, 'x-amz-copy-source') ? 'Copy' : 'Put';
  }
  if (request.method === 'POST' && address.key && address.query.has('uploadId')) return 'CompleteMultipartUpload';
  return undefined;
}

/**
 * curl's `--data-binary` sends `Content-Type: application/x-www-form-urlencoded`, which fauxqs parses
 * as a form and then fails to store (500). Real S3 stores any body, so the object goes to fauxqs as
 * bytes (`application/octet-stream`).
 */
function storableHeaders(request: InboundRequest): InboundRequest['headers'] {
  const contentType = header(request.headers, 'content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) return request.headers;
  return { ...request.headers, 'content-type': 'application/octet-stream' };
}

function operationName(method: string, address: S3Address, subresource: string): string {
  const named = OPERATION_NAMES[subresource];
  if (named) return named;
  const verb = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', POST: 'Post', HEAD: 'Head' }[method] ?? method;
  const scope = address.key ? 'Object' : 'Bucket';
  const noun = subresource.charAt(0).toUpperCase() + subresource.slice(1).replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
  return `${verb}${scope}${noun} (?${subresource})`;
}

/** The access key the request was signed with (header or presigned query), if signed. */
function callerAccessKey(request: InboundRequest): string | undefined {
  const fromHeader = /Credential=([^/]+)\//.exec(header(request.headers, 'authorization') ?? '')?.[1];
  return fromHeader ?? new URLSearchParams(request.url.split('?')[1] ?? '').get('X-Amz-Credential')?.split('/')[0];
}

function ipv4(remoteAddress: string): string {
  const address = remoteAddress.replace(/^::ffff:/, '');
  return /^\d+\.\d+\.\d+\.\d+$/.test(address) ? address : '127.0.0.1';
}
