/**
 * A bucket's CORS rules, as S3 applies them to browsers (the template's `CorsConfiguration`): a preflight
 * (OPTIONS) is answered from the first rule matching its origin, method and requested headers, or refused
 * with 403; an actual request from an allowed origin gets the rule's `access-control-*` headers. fauxqs has
 * no CORS, and without this a browser could not PUT to a presigned URL from the console's origin.
 */
import type { S3CorsRule } from '../template/model';
import { AwsServiceError } from './aws-errors';
import { header, type InboundRequest } from './local-service';

/** S3's answer to a preflight: the matching rule's headers, or the 403 S3 gives a preflight no rule allows. */
export function preflightAnswer(rules: readonly S3CorsRule[], request: InboundRequest): Record<string, string> {
  const origin = header(request.headers, 'origin');
  const method = header(request.headers, 'access-control-request-method');
  const requested = (header(request.headers, 'access-control-request-headers') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const rule = origin && method ? rules.find((candidate) => allows(candidate, origin, method) && requested.every((name) => allowsHeader(candidate, name))) : undefined;
  if (!rule || !origin || !method) throw new AwsServiceError('AccessForbidden', 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.', 403);
  return {
    ...originHeaders(rule, origin),
    ...(requested.length > 0 ? { 'access-control-allow-headers': requested.join(', ') } : {}),
    ...(rule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.maxAgeSeconds) } : {}),
  };
}

/** The headers S3 adds to an actual request from an origin a rule allows; none otherwise. */
export function corsHeaders(rules: readonly S3CorsRule[], request: InboundRequest): Record<string, string> {
  const origin = header(request.headers, 'origin');
  const rule = origin ? rules.find((candidate) => allows(candidate, origin, request.method)) : undefined;
  if (!rule || !origin) return {};
  return {
    ...originHeaders(rule, origin),
    ...(rule.exposedHeaders.length > 0 ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') } : {}),
  };
}

function originHeaders(rule: S3CorsRule, origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

function allows(rule: S3CorsRule, origin: string, method: string): boolean {
  return rule.allowedMethods.includes(method) && rule.allowedOrigins.some((allowed) => wildcardMatch(allowed, origin));
}

function allowsHeader(rule: S3CorsRule, name: string): boolean {
  return rule.allowedHeaders.some((allowed) => wildcardMatch(allowed.toLowerCase(), name));
}

/** S3 allows one `*` wildcard in an allowed origin or header. */
function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  return value.length >= pattern.length - 1 && value.startsWith(pattern.slice(0, star)) && value.endsWith(pattern.slice(star + 1));
}
