/** Helpers for the HTTP API handlers (payload format 2.0): JSON responses and bounded JSON bodies. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { InexactNumberError, parseExactJson } from './exact-json';

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
 * The request body as JSON, at most `maxBytes` long. An absent or empty body is `undefined`
 * (callers decide whether that is allowed); malformed JSON, numbers no double holds exactly
 * (exact-json.ts) and oversize bodies are HttpErrors.
 */
export function readJsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > maxBytes) throw new HttpError(413, 'PayloadTooLarge', `request body is ${raw.length} bytes; the limit is ${maxBytes}`);
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return parseExactJson(text);
  } catch (error) {
    if (error instanceof InexactNumberError) throw new HttpError(400, 'InexactNumber', error.message);
    throw new HttpError(400, 'MalformedJson', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
