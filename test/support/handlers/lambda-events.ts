/** Builders of the events and context the handlers receive, as Lambda delivers them. */
import type { APIGatewayProxyEventV2, Context, SQSRecord } from 'aws-lambda';

/** An HTTP API (payload format 2.0) request as API Gateway delivers it. */
export function httpEvent(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  const { requestContext, headers, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /jobs',
    rawPath: '/jobs',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', ...headers },
    isBase64Encoded: false,
    ...rest,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api123',
      domainName: 'api123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'api123',
      http: { method: 'POST', path: '/jobs', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'request-1',
      routeKey: 'POST /jobs',
      stage: '$default',
      time: '01/Jan/2030:00:00:00 +0000',
      timeEpoch: 1_893_456_000_000,
      ...requestContext,
    },
  };
}

/** One SQS record as the Lambda event source mapping delivers it. */
export function sqsRecord(body: string, overrides: { messageId?: string; receiveCount?: number } = {}): SQSRecord {
  const messageId = overrides.messageId ?? crypto.randomUUID();
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(overrides.receiveCount ?? 1),
      SentTimestamp: '1893456000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1893456000001',
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:jobs',
    awsRegion: 'us-east-1',
  };
}

/** A Lambda context with `remainingMs` left, or as many as `remainingMs()` answers at each call. */
export function lambdaContext(functionName: string, remainingMs: number | (() => number) = 30_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: typeof remainingMs === 'number' ? () => remainingMs : remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
