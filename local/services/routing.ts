/**
 * Tells which AWS service a request at the one endpoint is for, as AWS's own front door would: by
 * `X-Amz-Target` (JSON protocols), by the `Action` of a query-protocol form and the SigV4 credential
 * scope, and otherwise S3 (REST, path- or virtual-hosted-style).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Protocol } from './aws-errors';

export type ServiceName = 'sqs' | 'sns' | 's3' | 'dynamodb' | 'cloudformation' | 'cloudwatch' | 'sts';

export interface RouteTarget {
  /** A service the gateway knows, or the foreign service's name (for the error message). */
  readonly service: ServiceName | { readonly unknown: string };
  /** Operation name for JSON and query protocols; undefined for S3 (derived from method and path). */
  readonly action?: string;
  readonly protocol: Protocol;
  /** Query-protocol parameters, parsed once. */
  readonly params?: URLSearchParams;
}

const TARGET_PREFIXES: Record<string, ServiceName> = {
  AmazonSQS: 'sqs',
  DynamoDB_20120810: 'dynamodb',
  GraniteServiceVersion20100801: 'cloudwatch',
};

/** SigV4 credential-scope service names (`.../us-east-1/<service>/aws4_request`). */
const SCOPES: Record<string, ServiceName> = {
  sqs: 'sqs',
  sns: 'sns',
  s3: 's3',
  dynamodb: 'dynamodb',
  cloudformation: 'cloudformation',
  monitoring: 'cloudwatch',
  sts: 'sts',
};

/** Actions of unsigned query-protocol requests, for when there is no credential scope to go by. */
const UNSIGNED_ACTIONS: Record<string, ServiceName> = {
  GetCallerIdentity: 'sts',
  DescribeStacks: 'cloudformation',
  PutMetricData: 'cloudwatch',
};

export function routeRequest(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): RouteTarget {
  const target = header(headers, 'x-amz-target');
  const scope = credentialScope(headers, url);
  if (target) {
    const [prefix, action] = target.split('.', 2);
    const service = TARGET_PREFIXES[prefix];
    return { service: service ?? { unknown: scope ?? prefix }, action, protocol: 'json' };
  }
  const rpc = /^\/service\/([^/]+)\/operation\/([^/?]+)/.exec(url);
  if (rpc) return { service: TARGET_PREFIXES[rpc[1]] ?? { unknown: scope ?? rpc[1] }, action: rpc[2], protocol: 'json' };
  const contentType = header(headers, 'content-type') ?? '';
  if (method === 'POST' && url.split('?')[0] === '/' && contentType.startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action') ?? undefined;
    if (action) {
      const service = scope ? SCOPES[scope] : (UNSIGNED_ACTIONS[action] ?? 'sns');
      return { service: service ?? { unknown: scope as string }, action, protocol: 'query', params };
    }
  }
  // A foreign service's REST call: most AWS REST APIs speak JSON (x-amzn-ErrorType) for errors.
  if (scope && scope !== 's3') return { service: SCOPES[scope] ?? { unknown: scope }, protocol: SCOPES[scope] ? 'query' : 'json' };
  return { service: 's3', protocol: 'rest-xml' };
}

/** The service of the request's SigV4 credential scope (Authorization header or presigned query). */
export function credentialScope(headers: IncomingHttpHeaders, url: string): string | undefined {
  const authorization = header(headers, 'authorization') ?? '';
  const fromHeader = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization)?.[1];
  if (fromHeader) return fromHeader;
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  return query?.get('X-Amz-Credential')?.split('/')[3];
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
