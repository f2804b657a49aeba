/**
 * CloudWatch's wire protocol as the SDK v3 (`@aws-sdk/client-cloudwatch`) and the AWS CLI v1 speak
 * it: AWS JSON 1.0, `POST /` with `X-Amz-Target: GraniteServiceVersion20100801.<Action>` (both send
 * `x-amzn-query-mode: true`, so errors carry the query-compatible code in `x-amzn-query-error`).
 * Requests in the older query protocol (form-encoded `Action=...`) get an XML error that says so.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { header, type InboundRequest, type ServiceResponse } from '../../services/local-service';
import { CloudWatchError } from '../errors';
import type { Input } from './wire';

/** The `X-Amz-Target` prefix: `GraniteServiceVersion20100801.<Action>`. */
export const TARGET_PREFIX = 'GraniteServiceVersion20100801';

export type ActionHandler = (input: Input) => unknown;

/** A CloudWatch API request, from the gateway or the standalone server. */
export type ApiRequest = Pick<InboundRequest, 'method' | 'url' | 'headers' | 'body'>;

export type ApiHandler = (request: ApiRequest) => Promise<ServiceResponse>;

/** Answers `actions`; any other action gets `UnknownOperationException` naming it. */
export function jsonProtocolHandler(actions: Record<string, ActionHandler>): ApiHandler {
  return async (request) => {
    const requestId = randomUUID();
    const target = header(request.headers, 'x-amz-target');
    if (!target) return queryProtocolError(request, requestId);
    const targeted = target.startsWith(`${TARGET_PREFIX}.`);
    const action = targeted ? target.slice(TARGET_PREFIX.length + 1) : target;
    const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
    try {
      if (!handler || !targeted) {
        throw new CloudWatchError(
          'UnknownOperationException',
          `The local CloudWatch does not support the action ${action} (supported: ${Object.keys(actions).join(', ')}).`,
        );
      }
      const output = await handler(parseBody(decodedBody(request)));
      return json(200, output ?? {}, requestId);
    } catch (error) {
      if (error instanceof CloudWatchError) return errorResponse(error, requestId);
      return errorResponse(new CloudWatchError('InternalServiceFault', (error as Error).message, 'InternalServiceError', 500), requestId);
    }
  };
}

/** The SDK gzips PutMetricData bodies over 10 KB (CloudWatch's request compression): undo it. */
function decodedBody(request: ApiRequest): Buffer {
  if (!/\bgzip\b/i.test(header(request.headers, 'content-encoding') ?? '')) return request.body;
  try {
    return gunzipSync(request.body);
  } catch {
    throw new CloudWatchError('SerializationException', 'The request body is not valid gzip.');
  }
}

function parseBody(body: Buffer): Input {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CloudWatchError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CloudWatchError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Input;
}

function json(status: number, body: unknown, requestId: string, extraHeaders: Record<string, string> = {}): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, ...extraHeaders },
    body: JSON.stringify(body),
  };
}

/** AWS's JSON error (`__type`, `message`) plus the house's `error` key, and the query-compatible code header. */
function errorResponse(error: CloudWatchError, requestId: string): ServiceResponse {
  const fault = error.status >= 500 ? 'Receiver' : 'Sender';
  return json(
    error.status,
    { __type: error.code, error: error.code, message: error.message },
    requestId,
    { 'x-amzn-query-error': `${error.queryCode};${fault}` },
  );
}

function queryProtocolError(request: ApiRequest, requestId: string): ServiceResponse {
  const action = new URLSearchParams(request.body.toString('utf8')).get('Action') ?? new URL(request.url, 'http://local').searchParams.get('Action');
  const message = `The local CloudWatch speaks the AWS JSON 1.0 protocol (X-Amz-Target: ${TARGET_PREFIX}.<Action>) only; ${
    action ? `the query-protocol action ${action} is` : 'requests without X-Amz-Target are'
  } not supported.`;
  return {
    status: 400,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type><Code>UnsupportedProtocol</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
