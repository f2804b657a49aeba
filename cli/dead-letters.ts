/**
 * What a dead letter is about (the file or job, parsed with the workers' own message parsers), for
 * `tidewatch dlq peek`; the peek itself and the status read are the redrive function's own modules.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { UnparseableMessageError } from '../handlers/file-worker/errors';
import { parseNotification, type Notification } from '../handlers/file-worker/notification';
import { fileIdOf } from '../contract/s3-layout';
import { jobIdNamedBy } from '../handlers/job-worker/business-keys';
import { JOB_ID_ATTRIBUTE, JobMessageSchema } from '../handlers/job-worker/job-message';

/** A file or job a message is about. */
export interface Subject {
  readonly kind: 'file' | 'job';
  readonly id: string;
  /** Files: the object key the event announced. */
  readonly s3Key?: string;
  /** Jobs: the task name. */
  readonly task?: string;
}

/** What the message is about; `unreadable` says why it names nothing (an s3:TestEvent, a malformed body). */
export interface MessageSubjects {
  readonly subjects: readonly Subject[];
  readonly unreadable?: string;
}

/**
 * The body tells what a dead letter is about, whatever queue holds it: an S3 notification (direct or
 * through SNS) names files; anything else is read as a job message.
 */
export function subjectsOf(message: Message): MessageSubjects {
  const body = message.Body ?? '';
  try {
    return fileSubjects(parseNotification(body));
  } catch (error) {
    if (!(error instanceof UnparseableMessageError)) return { subjects: [], unreadable: (error as Error).message };
    return jobSubjects(body, message.MessageAttributes?.[JOB_ID_ATTRIBUTE]?.StringValue);
  }
}

function fileSubjects(notification: Notification): MessageSubjects {
  if (notification.kind === 'test') return { subjects: [], unreadable: `an s3:TestEvent for bucket ${notification.bucket}` };
  const subjects = notification.files.map((file): Subject => ({ kind: 'file', id: fileIdOf(file.key), s3Key: file.key }));
  return subjects.length > 0 ? { subjects } : { subjects, unreadable: `no ObjectCreated record (${notification.ignoredEvents.join(', ')})` };
}

/** The jobId attribute (set by submit-job for tools like this one) first; the body's jobId otherwise. */
function jobSubjects(body: string, jobIdAttribute: string | undefined): MessageSubjects {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  // A body that is not a whole job message may still name its job: read as the job worker reads it.
  const jobId = jobIdAttribute ?? jobIdNamedBy(body);
  if (!jobId) return { subjects: [], unreadable: json === undefined ? 'the body is not JSON' : 'not a job message (no valid jobId)' };
  const job = JobMessageSchema.safeParse(json);
  return { subjects: [{ kind: 'job', id: jobId, ...(job.success ? { task: job.data.task } : {}) }] };
}
