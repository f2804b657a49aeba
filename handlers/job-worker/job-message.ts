/**
 * The jobs queue's message: the contract between submit-job (producer) and the job worker (consumer).
 * It carries the whole job, not only its id, so a message read from the DLQ (peek, redrive) says what
 * the job was, and the worker needs no read of the status table before it starts.
 */
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { describeIssues, PermanentError } from '../shared/errors';

export const JobMessageSchema = z.object({
  jobId: z.uuid(),
  task: z.string().min(1),
  payload: z.record(z.string(), z.unknown()).optional(),
  fail: z.boolean().optional(),
  /** When POST /jobs accepted the job (ISO-8601): the start of EndToEndLatency. */
  submittedAt: z.iso.datetime(),
});

export type JobMessage = z.infer<typeof JobMessageSchema>;

/** The SQS message attribute carrying the jobId, so tools can find a job without parsing bodies. */
export const JOB_ID_ATTRIBUTE = 'jobId';

/** A message whose body is not a job: retrying cannot fix it. */
export class MalformedJobMessageError extends PermanentError {
  override readonly name = 'MalformedJobMessageError';
  constructor(
    message: string,
    /** The jobId, when the body still names a valid one. */
    readonly jobId?: string,
  ) {
    super(message);
  }
}

const JobMessageBody = JSONStringified(JobMessageSchema);

/** Parses a record's body as a job message; a malformed one is a MalformedJobMessageError. */
export function parseJobMessage(record: SQSRecord): JobMessage {
  const parsed = JobMessageBody.safeParse(record.body);
  if (parsed.success) return parsed.data;
  throw new MalformedJobMessageError(`malformed job message: ${describeIssues(parsed.error.issues)}`, salvageJobId(record.body));
}

/** The body's jobId if it has a valid one, so the failure can be recorded on that job's status item. */
function salvageJobId(body: string): string | undefined {
  try {
    const jobId: unknown = (JSON.parse(body) as { jobId?: unknown } | null)?.jobId;
    return z.uuid().safeParse(jobId).success ? (jobId as string) : undefined;
  } catch {
    return undefined;
  }
}
