/**
 * Lambda's `Invoke` on a local function host, as Lambda answers it: `RequestResponse` (the default)
 * with the function's result, or its error marked `X-Amz-Function-Error: Unhandled`, and the log's tail
 * on request; `Event` accepted at once (202) and run in the background; `DryRun` only checked (204).
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../services/aws-errors';
import { header, type InboundRequest, type ServiceResponse } from '../services/local-service';
import { FunctionError } from './execution-environment';
import type { FunctionHost } from './function-host';
import { LogTail } from './log-tail';

type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** Lambda's payload quotas: 6 MB for synchronous invocations, 1 MB for asynchronous ones. */
const MAX_PAYLOAD_BYTES: Record<InvocationType, number> = { RequestResponse: 6 * 1024 * 1024, Event: 1024 * 1024, DryRun: 6 * 1024 * 1024 };

export async function invokeFunction(host: FunctionHost, request: InboundRequest): Promise<ServiceResponse> {
  const invocationType = invocationTypeOf(request);
  if (request.body.length > MAX_PAYLOAD_BYTES[invocationType]) {
    throw new AwsServiceError('RequestEntityTooLargeException', `Request must be smaller than ${MAX_PAYLOAD_BYTES[invocationType]} bytes for the InvokeFunction operation`, 413);
  }
  const event = parsePayload(request.body);
  const requestId = randomUUID();
  const headers = { 'x-amzn-requestid': requestId };
  if (invocationType === 'DryRun') return { status: 204, headers };
  if (invocationType === 'Event') {
    // No retries locally: a failed event shows in the function's log and metrics, as a first attempt does.
    host.invoke(event, { requestId }).catch(() => undefined);
    return { status: 202, headers };
  }
  const tail = header(request.headers, 'x-amz-log-type') === 'Tail' ? new LogTail() : undefined;
  const outcome = await host.invoke(event, { requestId, onLine: tail?.add }).then(
    (result) => ({ payload: result, functionError: {} }),
    (error: unknown) => {
      if (!(error instanceof FunctionError)) throw error;
      return { payload: errorPayload(error), functionError: { 'x-amz-function-error': 'Unhandled' } };
    },
  );
  return {
    status: 200,
    headers: {
      ...headers,
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      ...outcome.functionError,
      ...(tail ? { 'x-amz-log-result': tail.toBase64() } : {}),
    },
    body: JSON.stringify(outcome.payload),
  };
}

function invocationTypeOf(request: InboundRequest): InvocationType {
  const value = header(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (value === 'RequestResponse' || value === 'Event' || value === 'DryRun') return value;
  throw new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
  );
}

/** The event: the payload's JSON, or `{}` when there is none (as Lambda passes it). */
function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new AwsServiceError('InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`);
  }
}

/** What the Node.js runtime returns for a failed invocation. */
function errorPayload(error: FunctionError): { errorType: string; errorMessage: string; trace: string[] } {
  return {
    errorType: error.errorType,
    errorMessage: error.errorMessage,
    trace: [`${error.errorType}: ${error.errorMessage}`, ...error.stackTrace.map((frame) => `    ${frame}`)],
  };
}
