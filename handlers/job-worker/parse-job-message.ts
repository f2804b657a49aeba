/** The job worker's reading of a jobs-queue record: its body as a JobMessage, or a permanent failure. */
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { describeIssues, PermanentError } from '../shared/errors';
import { JobMessageSchema, type JobMessage } from './job-message';

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
