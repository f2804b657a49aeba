/**
 * The job worker as a kind of the shared SQS worker skeleton (shared/sqs-worker.ts). A message is one job,
 * keyed by its jobId: the run marks it PROCESSING, runs its task and marks it PROCESSED with the result
 * (as JSON text: shared/json-text.ts). A result JSON cannot represent, or too large for the status item,
 * is a permanent failure: the same task on the same payload fails the same way every time.
 */
import { toJsonText } from '../shared/json-text';
import type { Instrumentation } from '../shared/powertools';
import type { WorkerKind } from '../shared/sqs-worker';
import type { StatusStore } from '../shared/status-store';
import { endToEndLatencyMs, type ItemOutcome } from '../shared/work-item';
import { jobBusinessKey } from './business-keys';
import type { JobMessage } from './job-message';
import { parseJobMessage } from './parse-job-message';
import { requestedFailure } from './requested-failure';
import { runTask } from './tasks';

export interface JobWorkerDeps {
  /** Bound to the job queue. */
  readonly store: StatusStore;
  readonly instrumentation: Instrumentation;
}

/** Stored as the idempotent result: the result itself stays on the status item only, so it is never stored twice. */
export interface JobOutcome extends ItemOutcome {
  readonly status: 'PROCESSED';
}

export function jobWorkerKind({ store, instrumentation: { logger } }: JobWorkerDeps): WorkerKind<JobMessage, JobOutcome> {
  return {
    name: 'job-worker',
    logLines: {
      unreadable: 'message rejected: not a job message; acknowledged, not retried',
      replayed: 'duplicate delivery: job already processed, skipped',
    },

    parse(record) {
      const job = parseJobMessage(record);
      return [{ ...jobBusinessKey(job.jobId), input: job, receivedAt: job.submittedAt, correlation: { task: job.task } }];
    },

    async run(item, attempt) {
      const job = item.input;
      const attempts = attempt.number;
      await store.update(job.jobId, 'job', 'PROCESSING', { task: job.task, attempts }, attempt.run);
      const failure = requestedFailure(job, new Date());
      if (failure) throw failure;
      const resultJson = toJsonText(await runTask(job.task, job.payload ?? {}, attempt), `the result of task "${job.task}"`);
      const completedAt = new Date().toISOString();
      await store.update(job.jobId, 'job', 'PROCESSED', { resultJson, attempts, completedAt }, attempt.run);
      logger.info('job processed', { task: job.task, attempts, latencyMs: endToEndLatencyMs(item, completedAt) });
      return { status: 'PROCESSED', completedAt };
    },
  };
}
