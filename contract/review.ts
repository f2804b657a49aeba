/**
 * The weekly review's shared values: where reports live in the bucket, the formats they are written
 * in, and the names of the stack's resources a review reads (written by the stack into the review
 * function's environment, read by the function).
 */
import type { WorkerName } from './workers';

/** Reports live under `reports/<period>/`, beside uploads but never served (only processed/ is). */
export const REPORTS_PREFIX = 'reports/';

export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `reports/2026-W47/report.html`. */
export function reportKey(period: string, format: ReportFormat): string {
  return `${REPORTS_PREFIX}${period}/report.${format}`;
}

/** One work queue as the review reads it: the names its metrics carry. */
export interface ReviewedWorkQueue {
  readonly name: string;
  readonly worker: WorkerName;
  /** The SQS queue's name (`AWS/SQS` QueueName dimension). */
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** The worker's function name (`AWS/Lambda` FunctionName, Powertools' ColdStart `function_name`). */
  readonly workerFunctionName: string;
  readonly workerTimeoutSeconds: number;
}

/** Everything a review needs to know about the stack besides its bucket, status table and topic. */
export interface ReviewSources {
  readonly stackName: string;
  readonly stage: string;
  /** IANA time zone of the team: pages by hour of day and night pages are counted in it. */
  readonly timeZone: string;
  readonly successSloPercent: number;
  readonly freshnessSloPercent: number;
  readonly freshnessSloSeconds: number;
  readonly deadLetterRetentionDays: number;
  /** The HTTP API's id (`AWS/ApiGateway` ApiId dimension). */
  readonly apiId: string;
  readonly workQueues: readonly ReviewedWorkQueue[];
}

/** The stack's fixed monthly monitoring cost, priced from its template at synthesis (lib/cost/). */
export interface MonitoringCostSummary {
  readonly monthlyUsd: number;
  /** What it covers and which prices it uses, in words. */
  readonly basis: string;
}
