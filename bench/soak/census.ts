/**
 * Where every accepted item ended: completed (counted from the ledger of the workers' PROCESSED writes,
 * once or more), dead-lettered (its message found in a DLQ), archived (its dead letter written to S3 by a
 * redrive's archive), rejected (recorded FAILED as permanent), or lost (none of these). The status table says where an item is; only the ledger says how many times its
 * work was done.
 */
import { readFile } from 'node:fs/promises';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ARCHIVE_PREFIX } from '../../contract/redrive';
import { subjectsOf } from '../../cli/dead-letters';
import type { AcceptedItem } from './load';
import type { Behaviour } from './plan';

export interface ItemState {
  readonly status: string;
  readonly permanent: boolean;
  /** The last failure's message, if any: what an unexpected outcome is explained by. */
  readonly reason?: string;
  /** ISO-8601: when the item was last written. */
  readonly updatedAt?: string;
}

/** Every status item's status (one paginated scan). */
export async function statusItems(dynamodb: DynamoDBClient, table: string): Promise<Map<string, ItemState>> {
  const items = new Map<string, ItemState>();
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: table, ProjectionExpression: 'id, #s, lastError, updatedAt', ExpressionAttributeNames: { '#s': 'status' }, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) {
      items.set(item.id!.S!, { status: item.status?.S ?? '', permanent: item.lastError?.M?.permanent?.BOOL === true, reason: item.lastError?.M ? `${item.lastError.M.class?.S}: ${item.lastError.M.message?.S}` : undefined, updatedAt: item.updatedAt?.S });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Messages in a queue, visible or not. */
export async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/**
 * The business ids of every message in a DLQ: each is received once (hidden while the scan goes on, so
 * it is not read twice) and made visible again at the end, so the queue is left as found.
 */
export async function deadLetterIds(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const ids: string[] = [];
  const handles: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      ids.push(...subjectsOf(message).subjects.map((subject) => subject.id));
      handles.push(message.ReceiptHandle!);
    }
  }
  for (let i = 0; i < handles.length; i += 10) {
    const entries = handles.slice(i, i + 10).map((ReceiptHandle, index) => ({ Id: String(index), ReceiptHandle, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  return ids;
}

/** The items of every dead letter archived to the bucket (each archive object names its items). */
export async function archivedIds(s3: S3Client, bucket: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: DEAD_LETTER_ARCHIVE_PREFIX, ContinuationToken }));
    for (const object of page.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }))).Body!.transformToString();
      for (const id of (JSON.parse(body) as { itemIds?: string[] }).itemIds ?? []) ids.add(id);
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return ids;
}

/** How many times each id's completed work was written, from the ledger the local cloud appended to. */
export async function completions(ledger: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const text = await readFile(ledger, 'utf8').catch(() => '');
  for (const id of text.split('\n')) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export type Outcome = 'completed once' | 'completed more than once' | 'dead-lettered' | 'archived' | 'rejected' | 'lost';

export interface Census {
  readonly outcomes: Record<Outcome, number>;
  /** Items whose outcome is not the one their behaviour should lead to, by `behaviour → outcome`. */
  readonly unexpected: Record<string, number>;
  /** A few unexpected items, each with its outcome and last failure, for the report. */
  readonly unexpectedExamples: readonly string[];
  /** Items completed more than once, for the report (a few). */
  readonly duplicated: readonly string[];
  readonly lost: readonly string[];
  /**
   * Dead-lettered items with no failure recorded: every receive of their message crashed (the soak's
   * crashed environments, the kill), so SQS moved it after maxReceiveCount, as it does in AWS. Expected of
   * any item before the redrive, which must then complete it.
   */
  readonly deadLetteredByCrashes: number;
  /**
   * Items PROCESSED in the status table with no ledger line, each with the time of its write: the local
   * cloud appends the line after it has answered the write, so a kill between the two keeps the write and
   * loses the line (the write is durable, the line is the soak's own). Counted as completed once, shown
   * with their times, to be read against the kill's.
   */
  readonly unledgered: readonly string[];
}

/** What each behaviour may end as at one census, and whether an item dead-lettered by crashes may still be in a DLQ. */
export interface Expectations {
  readonly outcomes: Record<Behaviour, readonly Outcome[]>;
  readonly crashDeadLetters: 'allowed' | 'unexpected';
}

/** Before any redrive (an outage job whose attempts a backlog delayed past the outage completes). */
export const BEFORE_REDRIVE: Expectations = {
  outcomes: {
    ok: ['completed once'],
    blip: ['completed once'],
    outage: ['dead-lettered', 'completed once'],
    poison: ['dead-lettered'],
    malformed: ['rejected'],
  },
  crashDeadLetters: 'allowed',
};

/** After the fix and the redrive: outage jobs and crashed items completed once, the poison archived, the DLQs empty. */
export const AFTER_REDRIVE: Expectations = {
  outcomes: {
    ok: ['completed once'],
    blip: ['completed once'],
    outage: ['completed once'],
    poison: ['archived'],
    malformed: ['rejected'],
  },
  crashDeadLetters: 'unexpected',
};

export function takeCensus(
  accepted: readonly AcceptedItem[],
  ledger: ReadonlyMap<string, number>,
  deadLettered: ReadonlySet<string>,
  statuses: ReadonlyMap<string, ItemState>,
  expected: Expectations,
  archived: ReadonlySet<string> = new Set(),
): Census {
  const outcomes: Record<Outcome, number> = { 'completed once': 0, 'completed more than once': 0, 'dead-lettered': 0, archived: 0, rejected: 0, lost: 0 };
  const unexpected: Record<string, number> = {};
  const unexpectedExamples: string[] = [];
  const duplicated: string[] = [];
  const lost: string[] = [];
  let deadLetteredByCrashes = 0;
  const unledgered: string[] = [];
  for (const item of accepted) {
    const state = statuses.get(item.id);
    const ledgered = ledger.get(item.id) ?? 0;
    const completedUnledgered = ledgered === 0 && state?.status === 'PROCESSED';
    if (completedUnledgered) unledgered.push(`${item.id} at ${state.updatedAt}`);
    const done = completedUnledgered ? 1 : ledgered;
    const outcome: Outcome =
      done === 1 ? 'completed once'
      : done > 1 ? 'completed more than once'
      : deadLettered.has(item.id) ? 'dead-lettered'
      : archived.has(item.id) ? 'archived'
      : state?.status === 'FAILED' && state.permanent ? 'rejected'
      : 'lost';
    outcomes[outcome] += 1;
    const byCrashes = outcome === 'dead-lettered' && state?.status !== 'FAILED';
    if (byCrashes) deadLetteredByCrashes += 1;
    if (outcome === 'completed more than once') duplicated.push(item.id);
    if (outcome === 'lost') lost.push(item.id);
    if (!expected.outcomes[item.behaviour].includes(outcome) && !(byCrashes && expected.crashDeadLetters === 'allowed')) {
      const key = `${item.behaviour} → ${outcome}`;
      unexpected[key] = (unexpected[key] ?? 0) + 1;
      if (unexpectedExamples.length < 5) unexpectedExamples.push(`${item.id} (${key}; ${state?.status ?? 'no status item'}${state?.reason ? `: ${state.reason}` : ''})`);
    }
  }
  return { outcomes, unexpected, unexpectedExamples, duplicated, lost, deadLetteredByCrashes, unledgered };
}
