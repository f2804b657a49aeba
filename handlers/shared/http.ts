/** Helpers for the HTTP API handlers (payload format 2.0): JSON responses and bounded JSON bodies. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readRequestJson, RequestJsonError } from './request-json';

/** A client error answered as `{error, message}` with its status code. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_WHITESPACE_ONLY = /^[\t\n\r ]*$/;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: HttpError): APIGatewayProxyStructuredResultV2 {
  return jsonResponse(error.statusCode, { error: error.code, message: error.message });
}

/**
 * The request body as JSON, at most `maxBytes` long. An absent or empty body is `undefined` (callers
 * decide whether that is allowed); an oversize body is a 413, and one that is not JSON the API accepts
 * (request-json.ts: encoding, syntax, nesting, keys, numbers) a 400 naming the problem.
 */
export function readJsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  // A text body with a lone surrogate (an event written by hand) would become U+FFFD on the way to bytes.
  if (!event.isBase64Encoded && !event.body.isWellFormed()) throw new HttpError(400, 'InvalidEncoding', 'request body is not valid UTF-8 text');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > maxBytes) throw new HttpError(413, 'PayloadTooLarge', `request body is ${raw.length} bytes; the limit is ${maxBytes}`);
  if (JSON_WHITESPACE_ONLY.test(raw.toString('latin1'))) return undefined;
  try {
    return readRequestJson(raw);
  } catch (error) {
    if (error instanceof RequestJsonError) throw new HttpError(400, error.problem, error.message);
    throw error;
  }
}
