/**
 * What a worker does when one SQS record fails: the retry policy shared by the file and job workers.
 *
 * - permanent (bad input): recorded FAILED with its reason and acknowledged, never retried;
 * - transient, not final: attempts and lastError recorded, the message hidden for an exponential backoff
 *   (base × 2^(attempt−1)) so a poison message reaches the DLQ in about a minute, not after three full
 *   visibility timeouts; the record is reported failed;
 * - transient on the final attempt (ApproximateReceiveCount ≥ maxReceiveCount): recorded FAILED, a
 *   high-resolution `DeadLettered` metric emitted, so the alarm pages before the DLQ metric even moves,
 *   and the message made visible at once so SQS moves it to the DLQ on the next receive.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { METRICS } from '../../contract/metrics';
import type { ItemKind, LastError } from '../../contract/status-item';
import { emit } from './emit-metric';
import { describeError } from './errors';
import type { StatusStore } from './status-store';

/** SQS refuses visibility timeouts over 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

export interface RetryPolicy {
  /** The DLQ's maxReceiveCount. */
  readonly maxReceiveCount: number;
  /** Seconds before the first retry; doubles on each attempt. */
  readonly backoffBaseSeconds: number;
}

export type FailureOutcome = 'rejected' | 'retrying' | 'dead-lettered';

export interface SettledFailure {
  readonly outcome: FailureOutcome;
  readonly attempt: number;
  readonly lastError: LastError;
}

/** The receive number of this delivery (1 on the first). */
export function attemptOf(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount ?? '1');
  return Number.isFinite(count) && count >= 1 ? count : 1;
}

/** Seconds a failed record stays hidden before its next attempt. */
export function backoffSeconds(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), MAX_VISIBILITY_SECONDS);
}

export interface FailurePolicyDeps {
  readonly store: StatusStore;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly policy: RetryPolicy;
}

export class FailurePolicy {
  constructor(private readonly deps: FailurePolicyDeps) {}

  /**
   * Records a record's failure and decides its fate. The caller acknowledges a `rejected` record and
   * re-throws for the others so the batch processor reports them as failed.
   */
  async settle(record: SQSRecord, item: { id: string; kind: ItemKind }, error: unknown): Promise<SettledFailure> {
    const { store, metrics, logger, policy } = this.deps;
    const attempt = attemptOf(record);
    const lastError = describeError(error);
    const final = attempt >= policy.maxReceiveCount;
    await store.recordFailure(item.id, item.kind, attempt, lastError, final);
    const context = { [`${item.kind}Id`]: item.id, messageId: record.messageId, attempt, error: lastError };

    if (lastError.permanent) {
      logger.warn('record rejected: permanent failure, not retried', context);
      return { outcome: 'rejected', attempt, lastError };
    }
    if (final) {
      emit(metrics, METRICS.deadLettered, 1);
      logger.error('record failed on its final attempt: moving to the dead-letter queue', context);
      // Visible again at once: SQS moves it to the DLQ on the next receive, instead of after a whole
      // visibility timeout (minutes) during which it would also age the queue and page queue-age.
      await this.releaseNow(record);
      return { outcome: 'dead-lettered', attempt, lastError };
    }
    const delay = backoffSeconds(attempt, policy.backoffBaseSeconds);
    emit(metrics, METRICS.recordRetried, 1);
    logger.warn('record failed: transient, retrying after backoff', { ...context, retryInSeconds: delay });
    await this.setVisibility(record, delay);
    return { outcome: 'retrying', attempt, lastError };
  }

  private releaseNow(record: SQSRecord): Promise<void> {
    return this.setVisibility(record, 0);
  }

  private async setVisibility(record: SQSRecord, seconds: number): Promise<void> {
    try {
      await this.deps.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.deps.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }),
      );
    } catch (error) {
      // The retry (or the move to the DLQ) still happens, only later, after the queue's own visibility
      // timeout: never lose the record over this.
      this.deps.logger.warn('could not change the message visibility', { messageId: record.messageId, visibilitySeconds: seconds, error: describeError(error) });
    }
  }
}
