/**
 * Tells which registered service a request at the one endpoint is for, as AWS's own front door would:
 * by `X-Amz-Target` (JSON protocols), by the `Action` of a query-protocol form and the SigV4 credential
 * scope, by a REST operation's method and path, and otherwise the REST fallback (S3, path- or
 * virtual-hosted-style). Every rule reads the services' own routes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { foreignServiceName } from './foreign-services';
import { header, type InboundRequest, type LocalService, type RestOperation, type Route } from './local-service';

export interface RoutedRequest extends Route {
  /** Undefined when the local cloud serves no such service. */
  readonly service: LocalService | undefined;
  /** The service's name, or the foreign service's, for errors. */
  readonly serviceName: string;
}

export function routeRequest(request: InboundRequest, services: readonly LocalService[]): RoutedRequest {
  const scope = credentialScope(request.headers, request.url);
  const signedFor = scope === undefined ? undefined : services.find((service) => service.routes.signingName === scope);
  const byTarget = (prefix: string) => services.find((service) => service.routes.targetPrefix === prefix);

  const target = header(request.headers, 'x-amz-target');
  if (target) {
    const [prefix, action] = target.split('.', 2);
    return routed(byTarget(prefix), scope ?? prefix, { action, protocol: 'json' });
  }
  const rpc = /^\/service\/([^/]+)\/operation\/([^/?]+)/.exec(request.url);
  if (rpc) return routed(byTarget(rpc[1]), scope ?? rpc[1], { action: rpc[2], protocol: 'json' });

  const form = queryForm(request);
  const action = form?.get('Action');
  if (form && action) {
    const service = scope !== undefined ? signedFor : unsignedQueryService(services, action);
    return routed(service, scope ?? 'AWS', { action, protocol: 'query', params: form });
  }

  const path = request.url.split('?')[0];
  const restServices = scope !== undefined ? (signedFor ? [signedFor] : []) : services;
  for (const service of restServices) {
    const match = matchOperation(service.routes.restOperations ?? [], request.method, path);
    if (match) return routed(service, service.name, { action: match.action, protocol: service.routes.protocol, pathParameters: match.pathParameters });
  }
  const fallback = services.find((service) => service.routes.restFallback);
  if (scope !== undefined && scope !== fallback?.routes.signingName) {
    // A foreign service's REST call: most AWS REST APIs speak JSON (x-amzn-ErrorType) for errors.
    return routed(signedFor, scope, { protocol: signedFor?.routes.protocol ?? 'json' });
  }
  return routed(fallback, fallback?.name ?? 'S3', { protocol: fallback?.routes.protocol ?? 'rest-xml' });
}

/** The service of the request's SigV4 credential scope (Authorization header or presigned query). */
export function credentialScope(headers: IncomingHttpHeaders, url: string): string | undefined {
  const authorization = header(headers, 'authorization') ?? '';
  const fromHeader = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization)?.[1];
  if (fromHeader) return fromHeader;
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  return query?.get('X-Amz-Credential')?.split('/')[3];
}

function routed(service: LocalService | undefined, foreignName: string, route: Route): RoutedRequest {
  return { ...route, service, serviceName: service?.name ?? foreignServiceName(foreignName) };
}

/** The parameters of a query-protocol request: a form posted to `/`. */
function queryForm(request: InboundRequest): URLSearchParams | undefined {
  const contentType = header(request.headers, 'content-type') ?? '';
  if (request.method !== 'POST' || request.url.split('?')[0] !== '/' || !contentType.startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(request.body.toString('utf8'));
}

function unsignedQueryService(services: readonly LocalService[], action: string): LocalService | undefined {
  const listing = services.find(({ routes }) => Array.isArray(routes.unsignedActions) && routes.unsignedActions.includes(action));
  return listing ?? services.find(({ routes }) => routes.unsignedActions === '*');
}

function matchOperation(operations: readonly RestOperation[], method: string, path: string): { action: string; pathParameters: Record<string, string> } | undefined {
  const segments = trimSlash(path).split('/');
  for (const operation of operations) {
    const template = trimSlash(operation.path).split('/');
    if (operation.method !== method || template.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const label = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!label) return part === segments[index];
      pathParameters[label] = safeDecode(segments[index]);
      return segments[index] !== '';
    });
    if (matches) return { action: operation.action, pathParameters };
  }
  return undefined;
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
