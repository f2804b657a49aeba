/**
 * The jobs queue's message: the contract between submit-job (producer) and the job worker (consumer).
 * It carries the whole job, not only its id, so a message read from the DLQ (peek, redrive) says what
 * the job was, and the worker needs no read of the status table before it starts.
 * Reading a record's body is the worker's side (./parse-job-message).
 */
import * as z from '../shared/zod-mini';

export const JobMessageSchema = z.object({
  jobId: z.uuid(),
  task: z.string().check(z.minLength(1)),
  payload: z.optional(z.record(z.string(), z.unknown())),
  fail: z.optional(z.boolean()),
  /** Every attempt before this time (ISO-8601, UTC) fails transiently; from then on the job runs normally. */
  failUntil: z.optional(z.iso.datetime()),
  /** When POST /jobs accepted the job (ISO-8601): the start of EndToEndLatency. */
  submittedAt: z.iso.datetime(),
});

export type JobMessage = z.infer<typeof JobMessageSchema>;

/** The SQS message attribute carrying the jobId, so tools can find a job without parsing bodies. */
export const JOB_ID_ATTRIBUTE = 'jobId';
