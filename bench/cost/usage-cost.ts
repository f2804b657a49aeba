/** What a pipeline's usage (usage-meter.ts) costs at the price table's list prices, by service. */
import { PRICES, priced } from '../../contract/prices';
import type { Usage } from './usage-meter';

const GB = 1024 ** 3;

/** Lambda's duration apart: it is the one figure estimated from this machine's timings, not counted. */
export const SERVICES = ['Lambda requests', 'Lambda duration', 'SQS', 'DynamoDB', 'S3', 'API Gateway', 'CloudWatch Logs', 'X-Ray'] as const;
export type BilledService = (typeof SERVICES)[number];

export function usageCost(usage: Usage): Record<BilledService, number> {
  const functions = [...usage.functions.values()];
  const invocations = functions.reduce((sum, fn) => sum + fn.invocations, 0);
  const gbSeconds = functions.reduce((sum, fn) => sum + gbSecondsOf(fn), 0);
  const tracedInvocations = functions.reduce((sum, fn) => sum + (fn.traced ? fn.invocations : 0), 0);
  const logBytes = functions.reduce((sum, fn) => sum + fn.logBytes, 0);
  return {
    'Lambda requests': priced(PRICES.lambda.requests, invocations),
    'Lambda duration': priced(PRICES.lambda.arm64GbSeconds, gbSeconds),
    SQS: priced(PRICES.sqs.requests, usage.sqsChunks),
    DynamoDB: priced(PRICES.dynamodb.writeRequestUnits, usage.dynamoDbWriteUnits) + priced(PRICES.dynamodb.readRequestUnits, usage.dynamoDbReadUnits),
    S3: priced(PRICES.s3.writeRequests, usage.s3WriteRequests) + priced(PRICES.s3.readRequests, usage.s3ReadRequests),
    'API Gateway': priced(PRICES.apiGateway.httpRequests, usage.apiRequests),
    'CloudWatch Logs': priced(PRICES.logs.ingestedGb, logBytes / GB),
    'X-Ray': priced(PRICES.xray.tracesRecorded, tracedInvocations * PRICES.xray.sampledShare),
  };
}

/** Billed milliseconds (init included) times configured memory. */
export function gbSecondsOf(fn: { readonly billedMs: number; readonly memoryMiB: number }): number {
  return (fn.billedMs / 1000) * (fn.memoryMiB / 1024);
}
