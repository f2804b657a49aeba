/**
 * The stack's outputs: the CLI, `runbooks/env.sh` and the local cloud find every resource by these keys.
 */
import { titleOf } from './naming';

/** Outputs every stack has. */
export const STACK_OUTPUT_KEYS = [
  'BucketName',
  'ApiUrl',
  'DownloadUrl',
  'StatusTableName',
  'PagingTopicArn',
  'DashboardName',
  /** The work queues' names, comma-separated: what the per-queue keys below exist for. */
  'WorkQueueNames',
  /** The redrive function the CLI and the dashboard widget invoke. */
  'RedriveFunctionName',
  /** Its audit ledger: `tidewatch redrive history` reads it. */
  'RedriveLedgerTableName',
  /** The weekly review function: `tidewatch review` invokes it. */
  'ReviewFunctionName',
  /** The topic each weekly review's summary is published to (not the paging topic). */
  'ReportsTopicArn',
] as const;
export type StackOutputKey = (typeof STACK_OUTPUT_KEYS)[number];

/** `FilesQueueUrl`, `ReportsQueueUrl`, ... */
export function queueUrlOutputKey(queue: string): string {
  return `${titleOf(queue)}QueueUrl`;
}

/** `FilesDeadLetterQueueUrl`, `ReportsDeadLetterQueueUrl`, ... */
export function deadLetterQueueUrlOutputKey(queue: string): string {
  return `${titleOf(queue)}DeadLetterQueueUrl`;
}

/** The `WorkQueueNames` output's value. */
export function formatWorkQueueNames(queues: readonly string[]): string {
  return queues.join(',');
}

export function parseWorkQueueNames(value: string): string[] {
  return value.split(',').map((name) => name.trim()).filter(Boolean);
}
