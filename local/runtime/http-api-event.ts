/**
 * HTTP API payload format 2.0, both ways: the event API Gateway builds from a request, and how it turns
 * the function's result into the HTTP response.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** One received request, as the server read it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query string as received, still percent-encoded. */
  readonly url: string;
  /** Node's `rawHeaders`: name, value, name, value... */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly receivedAt: Date;
}

export interface RouteContext {
  readonly routeKey: string;
  readonly pathParameters: Record<string, string> | undefined;
  readonly accountId: string;
  readonly apiId: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

export class InvalidFunctionResponseError extends Error {
  override readonly name = 'InvalidFunctionResponseError';
}

export function httpApiEvent(request: ReceivedRequest, route: RouteContext): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] as string).toLowerCase();
    const value = request.rawHeaders[index + 1] as string;
    // Format 2.0 moves cookies to their own field; duplicate headers are joined with commas.
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  headers['x-forwarded-for'] ??= request.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  const questionMark = request.url.indexOf('?');
  const rawPath = questionMark === -1 ? request.url : request.url.slice(0, questionMark);
  const rawQueryString = questionMark === -1 ? '' : request.url.slice(questionMark + 1);
  const host = headers.host ?? '127.0.0.1';
  const hasBody = request.body.length > 0;
  const text = isTextContent(headers['content-type']);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: queryStringParameters(rawQueryString) } : {}),
    requestContext: {
      accountId: route.accountId,
      apiId: route.apiId,
      domainName: host,
      domainPrefix: host.split('.')[0] as string,
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: request.requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: accessLogTime(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    ...(hasBody ? { body: request.body.toString(text ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}

/**
 * Format 2.0 responses: an object with `statusCode` is taken as is; anything else is a 200 JSON answer
 * whose body is the result (a string as is, any other value as JSON).
 */
export function httpResponse(result: unknown): HttpResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result)) };
  }
  const { statusCode, headers, cookies, body, isBase64Encoded } = result as Record<string, unknown>;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new InvalidFunctionResponseError(`statusCode ${JSON.stringify(statusCode)} is not an HTTP status`);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') throw new InvalidFunctionResponseError('body must be a string');
  return {
    statusCode,
    headers: Object.fromEntries(Object.entries((headers ?? {}) as Record<string, unknown>).map(([name, value]) => [name.toLowerCase(), String(value)])),
    cookies: Array.isArray(cookies) ? cookies.map(String) : [],
    body: Buffer.from(body ?? '', isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

/**
 * API Gateway hands text bodies over as they are and base64-encodes the rest; which content types
 * count as text is not a library concern anywhere, so it is listed here.
 */
function isTextContent(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';')[0] as string).trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    ['application/json', 'application/xml', 'application/javascript', 'application/x-www-form-urlencoded', 'application/graphql'].includes(type) ||
    type.endsWith('+json') ||
    type.endsWith('+xml')
  );
}

function queryStringParameters(rawQueryString: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  return parameters;
}

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's request time format. */
function accessLogTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
