/**
 * A job as submit-job sends it to its job queue: the JSON body the worker reads (job-worker/job-message.ts)
 * and the jobId attribute tools find it by, checked against SQS's message size limit before anything is
 * written, so a job too large to queue is a 400 naming the limit, not a 503 after it was recorded.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { HttpError } from '../shared/http';
import { JOB_ID_ATTRIBUTE, type JobMessage } from '../job-worker/job-message';

/** SQS's limit on one message, body and attributes together: a queue's default MaximumMessageSize. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface JobQueueMessage {
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
}

/**
 * Characters SQS refuses in a message body (it takes #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and
 * #x10000-#x10FFFF) that JSON.stringify leaves as they are: it already escapes controls and lone surrogates.
 */
const REFUSED_BY_SQS = /[\ufffe\uffff]/g;

/** The message of a job; an HttpError 400 when SQS would refuse it as too large. */
export function jobQueueMessage(job: JobMessage): JobQueueMessage {
  // Written as JSON escapes, which the worker reads back as the same characters.
  const body = JSON.stringify(job).replace(REFUSED_BY_SQS, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
  const attributes = { [JOB_ID_ATTRIBUTE]: { DataType: 'String', StringValue: job.jobId } };
  const bytes = messageBytes(body, attributes);
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new HttpError(400, 'JobTooLarge', `the job's message would be ${bytes} bytes, over SQS's 256 KiB message limit (${MAX_MESSAGE_BYTES} bytes)`);
  }
  return { body, attributes };
}

/** As SQS counts it: the body's UTF-8 bytes, and each attribute's name, data type and value. */
function messageBytes(body: string, attributes: Record<string, { DataType: string; StringValue: string }>): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, { DataType, StringValue }] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(DataType, 'utf8') + Buffer.byteLength(StringValue, 'utf8');
  }
  return bytes;
}
