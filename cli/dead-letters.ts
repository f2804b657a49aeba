/**
 * Dead letters, looked at without taking them: a sample of a DLQ's messages, what each is about (the
 * file or job, parsed with the workers' own message parsers) and why it failed (the status table).
 */
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnparseableMessageError } from '../handlers/file-worker/errors';
import { parseNotification, type Notification } from '../handlers/file-worker/notification';
import { fileIdOf } from '../contract/s3-layout';
import { jobIdNamedBy } from '../handlers/job-worker/business-keys';
import { JOB_ID_ATTRIBUTE, JobMessageSchema } from '../handlers/job-worker/job-message';
import type { StatusItem } from '../contract/status-item';

/**
 * Receives up to `max` distinct messages and leaves every one of them in the queue, visible.
 *
 * SQS has no peek: reading a message means receiving it. `VisibilityTimeout: 0` makes each message
 * visible again at once, so nothing is hidden from a redrive running meanwhile, and the DLQ-not-empty
 * alarm (which watches the visible count) never sees the DLQ empty and sends a false OK. A longer
 * timeout would let repeated receives page past the first ten messages, at exactly that price. The
 * cost of receiving at all: each peek adds one to the message's ApproximateReceiveCount. On a DLQ that
 * is harmless: it has no redrive policy of its own, so the count moves it nowhere, and a redriven
 * message starts over as a new message. Messages are never deleted here.
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, max: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  // With a zero timeout the same messages can come back: stop at the first round that adds nothing.
  for (let round = 0; seen.size < max && round < Math.ceil(max / 10) + 2; round++) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: 0,
        // Long polling asks every SQS server: a short poll may sample none of a small DLQ's messages.
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        MessageAttributeNames: ['All'],
      }),
    );
    const before = seen.size;
    for (const message of messages) if (message.MessageId && seen.size < max) seen.set(message.MessageId, message);
    if (seen.size === before) break;
  }
  return [...seen.values()];
}

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

/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_RETRIES = 3;

/** The status items of these ids (those that exist), by id. */
export async function statusItems(dynamoDb: DynamoDBDocumentClient, tableName: string, ids: readonly string[]): Promise<Map<string, StatusItem>> {
  const items = new Map<string, StatusItem>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(start, start + BATCH_GET_LIMIT).map((id) => ({ id }));
    // BatchGetItem may leave keys unprocessed under throttling: ask again for those, a few times.
    for (let attempt = 0; keys && keys.length > 0 && attempt <= MAX_UNPROCESSED_RETRIES; attempt++) {
      const answer: BatchGetCommandOutput = await dynamoDb.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      for (const item of answer.Responses?.[tableName] ?? []) items.set(String(item.id), item as StatusItem);
      keys = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
}
