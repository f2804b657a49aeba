/**
 * AWS-style error responses in each wire protocol the gateway speaks, so every SDK and the CLI
 * surface the code and message as they would from AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Protocol, ServiceResponse } from './local-service';
import { randomHostId, randomRequestId } from './s3-ids';
import { element, escapeXml } from './xml';

/** An error a service handler raises deliberately; the gateway renders it in the request's protocol. */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** What the service checked, as more elements of a REST-XML (S3) error: `{ 'X-Amz-Expires': '300' }`. */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The error for any action or service the local cloud does not emulate: it names both. */
export function unsupportedOperation(service: string, action: string): AwsServiceError {
  return new AwsServiceError('UnsupportedOperation', `${service} ${action} is not supported by the Tidewatch local cloud`);
}

/** `jsonErrorPrefix` qualifies `__type` as SQS does (`com.amazonaws.sqs#QueueDoesNotExist`). */
export function errorResponse(protocol: Protocol, error: AwsServiceError, jsonErrorPrefix = ''): ServiceResponse {
  const requestId = randomUUID();
  const fault = error.status >= 500 ? 'Receiver' : 'Sender';
  switch (protocol) {
    case 'json':
      return {
        status: error.status,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': error.code,
          // SQS's query-compatible JSON: the SDK takes the error code from this header.
          'x-amzn-query-error': `${error.code};${fault}`,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ __type: `${jsonErrorPrefix}${error.code}`, message: error.message }),
      };
    case 'rest-json':
      // Lambda's shape: the code in x-amzn-ErrorType, `Type` and `Message` in the body.
      return {
        status: error.status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId },
        body: JSON.stringify({ Type: fault === 'Sender' ? 'User' : 'Service', Message: error.message }),
      };
    case 'query':
      return {
        status: error.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>${fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-xml': {
      // S3's shape: its own request id and host id, in the body and in the headers.
      const [s3RequestId, hostId] = [randomRequestId(), randomHostId()];
      const details = Object.entries(error.details).map(([name, value]) => element(name, value));
      return {
        status: error.status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': s3RequestId, 'x-amz-id-2': hostId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n${element('Error', [element('Code', error.code), element('Message', error.message), ...details, element('RequestId', s3RequestId), element('HostId', hostId)])}`,
      };
    }
  }
}
