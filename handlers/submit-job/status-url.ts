/**
 * The URL where a client polls a job's status, built from what API Gateway says about the request: its
 * domain (`requestContext.domainName`, the execute-api host or a custom domain), the scheme the client
 * used (`X-Forwarded-Proto`, set by API Gateway) and a non-default `X-Forwarded-Port`. The path keeps
 * whatever came before `/jobs` in `rawPath` (a named stage or a custom-domain base path), so the URL
 * points where the client actually reached the API. Without a domain or scheme it is relative
 * (`jobs/<id>`), which resolves correctly against the URL the client posted to.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const JOBS_PATH = '/jobs';
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

export function jobStatusUrl(event: APIGatewayProxyEventV2, jobId: string): string {
  const relative = `jobs/${encodeURIComponent(jobId)}`;
  const domain = event.requestContext?.domainName;
  const proto = firstValue(event.headers?.['x-forwarded-proto'])?.toLowerCase();
  if (!domain || (proto !== 'http' && proto !== 'https')) return relative;
  const port = firstValue(event.headers?.['x-forwarded-port']);
  const host = domain.includes(':') || !port || port === DEFAULT_PORTS[proto] ? domain : `${domain}:${port}`;
  return `${proto}://${host}${basePath(event.rawPath)}/${relative}`;
}

/** What precedes `/jobs` in the request path: '' for the `$default` stage, `/prod` for a named stage. */
function basePath(rawPath: string | undefined): string {
  const path = (rawPath ?? '').replace(/\/+$/, '');
  return path.endsWith(JOBS_PATH) ? path.slice(0, -JOBS_PATH.length) : '';
}

/** Proxies append to forwarded headers (`https, http`): the first value is the client's. */
function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value ? value : undefined;
}
