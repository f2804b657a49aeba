/**
 * The HTTP API's CORS, as API Gateway applies it when the API has a CorsConfiguration: it answers
 * preflight requests itself (no route needed), adds the CORS headers to every response for an allowed
 * origin, and drops CORS headers the function returned.
 */
import type { LocalCors } from '../template/model';

type Headers = Record<string, string>;

/** The preflight answer (status 204), or undefined when the request is not a preflight. */
export function preflightHeaders(cors: LocalCors, method: string, requestHeaders: Headers): Headers | undefined {
  if (method !== 'OPTIONS' || !requestHeaders.origin || !requestHeaders['access-control-request-method']) return undefined;
  const origin = allowedOrigin(cors, requestHeaders.origin);
  if (!origin) return {};
  return {
    ...originHeaders(cors, origin),
    ...(cors.allowMethods.length > 0 ? { 'access-control-allow-methods': cors.allowMethods.join(',') } : {}),
    ...(cors.allowHeaders.length > 0 ? { 'access-control-allow-headers': cors.allowHeaders.join(',') } : {}),
    ...(cors.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(cors.maxAgeSeconds) } : {}),
  };
}

/** The function's response headers with API Gateway's CORS headers in place of any it set. */
export function withCorsHeaders(cors: LocalCors, requestOrigin: string | undefined, responseHeaders: Headers): Headers {
  const headers = Object.fromEntries(Object.entries(responseHeaders).filter(([name]) => !name.startsWith('access-control-')));
  const origin = requestOrigin && allowedOrigin(cors, requestOrigin);
  if (!origin) return headers;
  return {
    ...headers,
    ...originHeaders(cors, origin),
    ...(cors.exposeHeaders.length > 0 ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
  };
}

/** `*` when any origin is allowed (and no credentials), else the request's origin if it is listed. */
function allowedOrigin(cors: LocalCors, origin: string): string | undefined {
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

function originHeaders(cors: LocalCors, origin: string): Headers {
  return {
    'access-control-allow-origin': origin,
    ...(origin !== '*' ? { vary: 'origin' } : {}),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
  };
}
