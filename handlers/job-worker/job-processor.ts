/**
 * The job worker's logic: one SQS batch of job messages, each run at most once per jobId.
 *
 * Per record: parse the message (malformed = permanent), then, idempotently on the jobId (a business key:
 * a redriven message gets a new messageId), mark the job PROCESSING, run its task and mark it PROCESSED.
 * A failure goes to the shared FailurePolicy: permanent ones are acknowledged, transient ones retried
 * with backoff and dead-lettered on the final attempt.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { attemptOf, type FailurePolicy } from '../shared/failure-policy';
import type { StatusStore } from '../shared/status-store';
import type { JobMessage } from './job-message';
import { MalformedJobMessageError, parseJobMessage } from './parse-job-message';
import { traceRecord } from '../shared/record-trace';
import { runTask } from './tasks';

/** How long a finished job's idempotency record is kept: as long as its message can live (DLQ retention, 14 days). */
const JOB_IDEMPOTENCY_SECONDS = 14 * 24 * 3600;

/** A job that fails on purpose (`{"fail": true}`, seed 003's DLQ demo): transient, so it is retried until the DLQ. */
export class RequestedFailureError extends Error {
  override readonly name = 'RequestedFailureError';
}

/** What became of one record that was not reported failed. */
export type JobRecordOutcome = 'processed' | 'duplicate' | 'rejected';

export interface JobProcessorDeps {
  readonly store: StatusStore;
  readonly failures: FailurePolicy;
  /** Where idempotency records live (Powertools DynamoDB layer on IDEMPOTENCY_TABLE_NAME in the function). */
  readonly persistenceStore: BasePersistenceLayer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  readonly now?: () => Date;
}

/** What the idempotent part returns; Powertools stores it and hands it back on a duplicate delivery. */
interface JobRun {
  readonly result: unknown;
  readonly duplicate?: boolean;
}

export class JobProcessor {
  private readonly idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: 'jobId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: JOB_IDEMPOTENCY_SECONDS,
    responseHook: (response) => ({ ...(response as object), duplicate: true }),
  });
  private readonly runOnce: (job: JobMessage, record: SQSRecord, context?: Context) => Promise<JobRun>;
  private readonly now: () => Date;

  constructor(private readonly deps: JobProcessorDeps) {
    this.now = deps.now ?? (() => new Date());
    this.runOnce = makeIdempotent((job: JobMessage, record: SQSRecord, context?: Context) => this.run(job, record, context), {
      persistenceStore: deps.persistenceStore,
      config: this.idempotencyConfig,
      keyPrefix: 'job-worker',
    });
  }

  /** Processes one SQS batch; only the records that should come back are in `batchItemFailures`. */
  async processBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    // In-progress idempotency records expire with this invocation, so a crash does not block the job for long.
    this.idempotencyConfig.registerLambdaContext(context);
    return processPartialResponse(event, (record: SQSRecord) => this.processRecord(record, context), new BatchProcessor(EventType.SQS), {
      context,
      // One record at a time: the logger's per-record correlation keys (appendKeys) are shared state.
      processInParallel: false,
      // A batch where every record failed is still handled (each failure recorded and backed off): report
      // the records, keep the function's Errors metric for real crashes.
      throwOnFullBatchFailure: false,
    });
  }

  /** Processes one record; throws when the record must come back (retry or DLQ). */
  async processRecord(record: SQSRecord, context?: Context): Promise<JobRecordOutcome> {
    const { logger } = this.deps;
    logger.appendKeys({ messageId: record.messageId });
    let jobId: string | undefined;
    try {
      const job = parseJobMessage(record);
      jobId = job.jobId;
      logger.appendKeys({ jobId });
      const run = await traceRecord(this.deps.tracer, 'job', { jobId, task: job.task }, () => this.runOnce(job, record, context));
      if (run.duplicate) logger.info('duplicate delivery: job already processed, skipped');
      return run.duplicate ? 'duplicate' : 'processed';
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        // Another delivery of this job is running now; this one comes back after its visibility timeout
        // and then finds the result. Recording a failure here could overwrite that delivery's success.
        logger.warn('job already in progress in another delivery; retrying later');
        throw error;
      }
      const itemId = jobId ?? (error instanceof MalformedJobMessageError ? error.jobId : undefined) ?? record.messageId;
      return await this.settleFailure(record, itemId, error);
    } finally {
      logger.removeKeys(['jobId', 'messageId']);
    }
  }

  /** The idempotent part: runs once per jobId; a throw deletes the idempotency record so a retry runs again. */
  private async run(job: JobMessage, record: SQSRecord, context?: Context): Promise<JobRun> {
    const { store, logger, metrics } = this.deps;
    const attempts = attemptOf(record);
    await store.update(job.jobId, 'job', 'PROCESSING', { task: job.task, attempts });
    if (job.fail) throw new RequestedFailureError('the job was submitted with "fail": true and fails on every attempt');
    const result = await runTask(job.task, job.payload ?? {}, {
      remainingTimeMs: () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY,
    });
    const completedAt = this.now();
    await store.update(job.jobId, 'job', 'PROCESSED', { result, attempts, completedAt: completedAt.toISOString() });
    const latencyMs = Math.max(0, completedAt.getTime() - Date.parse(job.submittedAt));
    metrics.addMetric('JobsSucceeded', MetricUnit.Count, 1);
    metrics.addMetric('EndToEndLatency', MetricUnit.Milliseconds, latencyMs);
    logger.info('job processed', { task: job.task, attempts, latencyMs });
    return { result };
  }

  /** Records a failure through the shared policy; acknowledges it only when it is permanent. */
  private async settleFailure(record: SQSRecord, jobId: string, error: unknown): Promise<JobRecordOutcome> {
    const settled = await this.deps.failures.settle(record, { id: jobId, kind: 'job' }, error);
    if (settled.outcome !== 'retrying') this.deps.metrics.addMetric('JobsFailed', MetricUnit.Count, 1);
    if (settled.outcome === 'rejected') return 'rejected';
    throw error;
  }
}
