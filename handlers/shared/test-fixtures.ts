/**
 * Test-only builders for the events the handlers receive, and a capture of what Powertools prints.
 * Handler tests run with POWERTOOLS_DEV=true (Powertools then writes through the global console, so the
 * output can be captured) and POWERTOOLS_METRICS_DISABLED=false (dev mode would otherwise mute metrics).
 */
import type { APIGatewayProxyEventV2, Context, SQSRecord } from 'aws-lambda';
import { vi } from 'vitest';

/** The environment every handler test sets before importing a handler's index. */
export const POWERTOOLS_TEST_ENV = {
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  // Lambda sets this on on-demand functions; Powertools emits ColdStart only when it is present.
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  TIDEWATCH_STAGE: 'test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
} as const;

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

/** A Lambda context with `remainingMs` left. */
export function lambdaContext(functionName: string, remainingMs = 30_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An Embedded Metric Format document as Powertools Metrics prints it. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string; readonly StorageResolution?: number }>;
    }>;
  };
  readonly [key: string]: unknown;
}

export interface CapturedOutput {
  /** EMF documents printed so far. */
  emf(): EmfDocument[];
  /** Structured log lines printed so far. */
  logs(): Array<Record<string, unknown>>;
}

/** Captures what Powertools prints through the global console (dev mode) until the test's mocks are restored. */
export function captureOutput(): CapturedOutput {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
  const printed = () =>
    spies.flatMap((spy) => spy.mock.calls.map((call) => parseJson(call[0])).filter((value): value is Record<string, unknown> => value !== undefined));
  return {
    emf: () => printed().filter((line) => '_aws' in line) as unknown as EmfDocument[],
    logs: () => printed().filter((line) => !('_aws' in line)),
  };
}

/** Every metric in the captured EMF output, with its document (namespace, dimensions, values). */
export function emittedMetric(documents: readonly EmfDocument[], name: string): Array<{ document: EmfDocument; definition: EmfDocument['_aws']['CloudWatchMetrics'][number]['Metrics'][number] }> {
  return documents.flatMap((document) =>
    document._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.filter((metric) => metric.Name === name).map((definition) => ({ document, definition })),
    ),
  );
}

function parseJson(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
