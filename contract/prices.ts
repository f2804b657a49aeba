/**
 * AWS list prices in us-east-1 (US East, N. Virginia), on-demand, first tier, without free tiers: the
 * one table `bench/cost.ts` (cost per item), `tidewatch cost` and the weekly review (cost per month)
 * price with. Each entry names the page it comes from; review them all at once and move
 * `PRICES_AS_OF` when a page changes.
 */

export interface Price {
  /** Dollars per `per` units of `unit`. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
}

/** When the figures below were last read off their pages. */
export const PRICES_AS_OF = '2026-12-02';
export const PRICES_REGION = 'us-east-1';

const price = (usd: number, per: number, unit: string, source: string): Price => ({ usd, per, unit, source });

const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const XRAY = 'https://aws.amazon.com/xray/pricing/';
const API_GATEWAY = 'https://aws.amazon.com/api-gateway/pricing/';

export const PRICES = {
  lambda: {
    requests: price(0.2, 1e6, 'request', LAMBDA),
    /** arm64 duration; the INIT phase of on-demand functions is billed as duration since 2025-08-01. */
    arm64GbSeconds: price(0.0000133334, 1, 'GB-second', LAMBDA),
  },
  sqs: {
    /** Standard queues; every 64 KB chunk of a request's payload is billed as one request. */
    requests: price(0.4, 1e6, 'request (64 KB chunk)', SQS),
  },
  dynamodb: {
    /** On-demand, Standard table class: one unit writes up to 1 KB (a transactional write takes two). */
    writeRequestUnits: price(0.625, 1e6, 'write request unit (1 KB)', DYNAMODB),
    /** One unit reads up to 4 KB strongly consistent; an eventually consistent read takes half a unit. */
    readRequestUnits: price(0.125, 1e6, 'read request unit (4 KB)', DYNAMODB),
  },
  s3: {
    /** S3 Standard: PUT, COPY, POST and LIST requests. */
    writeRequests: price(0.005, 1000, 'PUT, COPY, POST or LIST request', S3),
    /** S3 Standard: GET, SELECT and every other request (DELETE is free). */
    readRequests: price(0.0004, 1000, 'GET or other request', S3),
  },
  apiGateway: {
    /** HTTP APIs: every 512 KB of a request is billed as one request. */
    httpRequests: price(1.0, 1e6, 'HTTP API request (512 KB)', API_GATEWAY),
  },
  logs: {
    /** Standard log class ingestion: the Powertools JSON lines, the EMF lines and Lambda's own lines. */
    ingestedGb: price(0.5, 1, 'GB ingested', CLOUDWATCH),
    storedGbMonths: price(0.03, 1, 'GB-month stored (compressed)', CLOUDWATCH),
  },
  metrics: {
    /** Per metric (namespace, name and dimension values) per month, prorated by the hour it is emitted. */
    customMetricMonths: price(0.3, 1, 'custom metric-month', CLOUDWATCH),
  },
  alarms: {
    /** A metric alarm is billed per metric it reads (each metric of a math expression counts). */
    standardMetricMonths: price(0.1, 1, 'standard-resolution alarm metric-month (period ≥ 60 s)', CLOUDWATCH),
    highResolutionMetricMonths: price(0.3, 1, 'high-resolution alarm metric-month (period 10 or 30 s)', CLOUDWATCH),
    compositeMonths: price(0.5, 1, 'composite alarm-month', CLOUDWATCH),
  },
  dashboards: {
    months: price(3.0, 1, 'dashboard-month', CLOUDWATCH),
  },
  kms: {
    customerManagedKeyMonths: price(1.0, 1, 'customer managed key-month', KMS),
  },
  xray: {
    tracesRecorded: price(5.0, 1e6, 'trace recorded', XRAY),
    /**
     * The default sampling rule (the Powertools tracer and Lambda active tracing keep it): the first
     * request each second, then 5 % of the rest. At a sustained load well above one item a second, about
     * 5 % of invocations are traced; below it, every invocation is.
     */
    sampledShare: 0.05,
  },
} as const;

/** What `amount` units cost at `unitPrice`. */
export function priced(unitPrice: Price, amount: number): number {
  return (unitPrice.usd / unitPrice.per) * amount;
}
