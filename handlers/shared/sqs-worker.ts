/**
 * The SQS worker skeleton both workers are built on. A worker kind supplies how to read a record into
 * work items and how to run one item; the skeleton does the rest, the same way for every kind:
 *
 * - partial batch responses (Powertools batch): only the records that must come back are reported;
 * - each item run at most once per business key (Powertools idempotency; never the messageId, which a
 *   redrive changes), kept for IDEMPOTENCY_TTL_SECONDS; a repeated delivery is logged, not counted;
 * - the same for a delivery whose idempotency record was lost after its run completed (a crash between
 *   the two writes): the status store's fence on the run finds it completed, and it is a replay too;
 * - an item another delivery is running right now comes back later, with nothing recorded;
 * - failures settled by the shared FailurePolicy (permanent: FAILED and acknowledged; transient: backoff;
 *   final attempt: FAILED, DeadLettered, released at once); a message comes back if any of its items must;
 * - log correlation keys (messageId, then `<kind>Id` and the item's ids) and one X-Ray subsegment per item;
 * - the kind's outcome metrics from contract/workers.ts (`succeeded` with EndToEndLatency, `failed`).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS } from '../../contract/metrics';
import { WORKERS, type WorkerName } from '../../contract/workers';
import { emit } from './emit-metric';
import { UnreadableMessageError } from './errors';
import { attemptOf, FailurePolicy } from './failure-policy';
import type { Instrumentation } from './powertools';
import { traceRecord } from './record-trace';
import { RunAlreadyCompletedError, type StatusStore } from './status-store';
import { endToEndLatencyMs, implausibleEntryTime, runKeyOf, type Attempt, type ItemOutcome, type WorkItem } from './work-item';
import type { WorkerSettings } from './worker-settings';

/** What a worker supplies. */
export interface WorkerKind<TInput, TOutcome extends ItemOutcome> {
  /** Its entry in contract/workers.ts (item kind, outcome metrics), and the prefix of its idempotency keys. */
  readonly name: WorkerName;
  /**
   * The items a record announces: none for a message that announces nothing (an s3:TestEvent). Throws an
   * UnreadableMessageError for a body that is not a message of this kind.
   */
  parse(record: SQSRecord): readonly WorkItem<TInput>[];
  /**
   * One attempt at one item, run at most once per business key: throws on failure (a PermanentError for
   * bad input). What it logs and counts besides `succeeded` and EndToEndLatency is its own.
   */
  run(item: WorkItem<TInput>, attempt: Attempt): Promise<TOutcome>;
  readonly logLines: {
    /** A body that is no message of this kind and names no item: logged with the reason and the body. */
    readonly unreadable: string;
    /** A repeated delivery of an item already handled: logged with its status, counted nothing. */
    readonly replayed: string;
  };
}

export interface SqsWorkerDeps {
  readonly sqs: SQSClient;
  /** Bound to the worker's queue (StatusStore.withQueue). */
  readonly store: StatusStore;
  /** Where idempotency records live: the DynamoDB layer on IDEMPOTENCY_TABLE_NAME in the function. */
  readonly persistenceStore: BasePersistenceLayer;
  readonly settings: WorkerSettings;
  readonly instrumentation: Instrumentation;
}

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** How much of an unreadable body the log keeps: enough to recognise it, bounded for the log line. */
const BODY_EXCERPT_CHARS = 1000;

/** A run's outcome, or a replay: served by the idempotency table, or found completed by the status store's fence. */
type RunResult<TOutcome> = (TOutcome & { readonly replayed?: true }) | (ItemOutcome & { readonly replayed: true });

/** The kind's run, where a run already completed (RunAlreadyCompletedError) is a replay of the item as stored. */
function fencedRun<TInput, TOutcome extends ItemOutcome>(kind: WorkerKind<TInput, TOutcome>) {
  return async (item: WorkItem<TInput>, attempt: Attempt): Promise<RunResult<TOutcome>> => {
    try {
      return await kind.run(item, attempt);
    } catch (error) {
      if (!(error instanceof RunAlreadyCompletedError)) throw error;
      const { status, completedAt, updatedAt } = error.item;
      return { status: status as ItemOutcome['status'], completedAt: completedAt ?? updatedAt, replayed: true };
    }
  };
}

export function createSqsWorker<TInput, TOutcome extends ItemOutcome>(kind: WorkerKind<TInput, TOutcome>, deps: SqsWorkerDeps): SqsBatchHandler {
  const { settings } = deps;
  const { logger, metrics, tracer } = deps.instrumentation;
  const { itemKind, succeeded, failed, failedCountsDeadLetters } = WORKERS[kind.name];
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'idempotencyKey',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: settings.idempotencyTtlSeconds,
    // Marks results served from the idempotency table, so a repeated delivery is logged and not counted twice.
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
  const runOnce = makeIdempotent(fencedRun(kind), {
    persistenceStore: deps.persistenceStore,
    config: idempotency,
    // Stable across deployments (the default is the function's name, which a redeploy may change).
    keyPrefix: kind.name,
  }) as (item: WorkItem<TInput>, attempt: Attempt) => Promise<RunResult<TOutcome>>;
  // The dead-letter retention, which the stack also makes the idempotency TTL: no message of the queue is older.
  const maxItemAgeMs = settings.idempotencyTtlSeconds * 1000;
  const failures = new FailurePolicy({ store: deps.store, sqs: deps.sqs, queueUrl: settings.queueUrl, metrics, logger, policy: settings.retry });
  const processor = new BatchProcessor(EventType.SQS);
  // Set when each invocation starts; an execution environment runs one invocation at a time.
  let invocationMs = 0;

  async function handleRecord(record: SQSRecord, context: Context): Promise<void> {
    logger.appendKeys({ messageId: record.messageId });
    try {
      // Every item of the message gets its run; the message comes back if any of them must be retried.
      let retry: unknown;
      for (const item of await itemsOf(record)) {
        try {
          await handleItem(record, item, context);
        } catch (error) {
          retry ??= error;
        }
      }
      if (retry !== undefined) throw retry;
    } finally {
      logger.removeKeys(['messageId']);
    }
  }

  /** The record's items; none when its body is unreadable (then already rejected). */
  async function itemsOf(record: SQSRecord): Promise<readonly WorkItem<TInput>[]> {
    try {
      return kind.parse(record);
    } catch (error) {
      if (!(error instanceof UnreadableMessageError)) throw error;
      if (error.itemId !== undefined) {
        await settle(record, error.itemId, error);
      } else {
        // Tied to no item, so no status item: the log line (with the body) is the record of it.
        emit(metrics, failed, 1);
        logger.error(kind.logLines.unreadable, { reason: error.message, bodyExcerpt: record.body.slice(0, BODY_EXCERPT_CHARS) });
      }
      return [];
    }
  }

  async function handleItem(record: SQSRecord, item: WorkItem<TInput>, context: Context): Promise<void> {
    const ids = { [`${itemKind}Id`]: item.id, ...item.correlation };
    logger.appendKeys(ids);
    try {
      const attempt: Attempt = { number: attemptOf(record), remainingTimeMs: () => context.getRemainingTimeInMillis(), invocationMs, run: runKeyOf(item) };
      const result = await runTraced(record, item, ids, attempt);
      if (result !== undefined) report(result, item);
    } finally {
      logger.removeKeys(Object.keys(ids));
    }
  }

  /** Runs the item once in its own subsegment; a failure is settled (undefined when acknowledged, else re-thrown). */
  async function runTraced(record: SQSRecord, item: WorkItem<TInput>, ids: Record<string, string>, attempt: Attempt): Promise<RunResult<TOutcome> | undefined> {
    try {
      return await traceRecord(tracer, itemKind, ids, () => runOnce(item, attempt));
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        // Another delivery of this item is running now; this one comes back after its visibility timeout
        // and then finds the result. Recording a failure here could overwrite that delivery's success.
        logger.warn(`${itemKind} already in progress in another delivery; retrying later`);
        throw error;
      }
      await settle(record, item.id, error);
      return undefined;
    }
  }

  /** Records a failure through the FailurePolicy; re-throws unless it is acknowledged (permanent). */
  async function settle(record: SQSRecord, itemId: string, error: unknown): Promise<void> {
    const { outcome } = await failures.settle(record, { id: itemId, kind: itemKind }, error);
    if (outcome === 'rejected' || (outcome === 'dead-lettered' && failedCountsDeadLetters)) emit(metrics, failed, 1);
    if (outcome !== 'rejected') throw error;
  }

  function report(result: RunResult<TOutcome>, item: WorkItem<TInput>): void {
    if (result.replayed) {
      logger.info(kind.logLines.replayed, { status: result.status });
    } else if (result.status === 'PROCESSED') {
      emit(metrics, succeeded, 1);
      const implausible = implausibleEntryTime(item, result.completedAt, maxItemAgeMs);
      if (implausible === undefined) emit(metrics, METRICS.endToEndLatency, endToEndLatencyMs(item, result.completedAt));
      else logger.warn('EndToEndLatency not emitted: the entry time is implausible', { receivedAt: item.receivedAt, reason: implausible });
    }
  }

  return async (event, context) => {
    invocationMs = context.getRemainingTimeInMillis();
    // Lets an in-progress idempotency record expire with this invocation, so a timed-out run does not block its retry.
    idempotency.registerLambdaContext(context);
    // Powertools' batch parser integration is not used: it reports a record whose body fails the schema as
    // failed (retried until the DLQ), while an unreadable body is permanent and acknowledged here.
    // A batch whose records all failed is still a partial response (each failure recorded and backed off):
    // record failures have their own metrics, and the function's Errors metric stays a signal of crashes.
    return processPartialResponse(event, handleRecord, processor, {
      context,
      // One record at a time: the logger's correlation keys (appendKeys) are shared state, and parsing is
      // CPU-bound, so concurrent records would not finish sooner on a Lambda's share of a core.
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}
