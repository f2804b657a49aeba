/**
 * One pass over a dead-letter queue, the heart of a selective redrive, an archive and a dry run:
 * receive with long polling, read what each message is about, keep what the filter takes (at the run's
 * rate, up to its limit), deliver it to the sink, record it in the ledger and only then delete it from
 * the DLQ. Every message received and not delivered (not taken, over the limit, refused by the sink, or
 * every one in a dry run) stays hidden until the pass ends, so the scan does not see it again, and is
 * released then. A crash releases nothing: those messages come back when their hold ends, which is when
 * the invocation would have ended anyway.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { ZERO_COUNTS, type DeadLetterSample, type LedgerEntry, type RedriveFilter, type RunCounts, type RunFailure } from '../../contract/redrive';
import type { StatusItem } from '../../contract/status-item';
import type { WorkerName } from '../../contract/workers';
import { sentAtOf, SQS_BATCH_LIMIT, type DeadLetterQueue, type Refused } from './dead-letter-queue';
import { matches, needsStatus } from './filter';
import { GroupCommit } from './group-commit';
import { itemIdsOf } from './item-ids';
import type { Pacer } from './pacer';
import type { Delivered, Sink, Taken } from './sink';
import { failureReasonOf } from './status-items';

/** How much of a body a sample shows. */
const SAMPLE_BODY_CHARS = 300;
/** Failures a pass reports by name (the counts have them all). */
const MAX_REPORTED_FAILURES = 20;
/** Most batches a pass has in flight at once. */
const MAX_LANES = 16;
/** Batches one lane gets through in a second, about, on AWS. */
const BATCHES_PER_LANE_SECOND = 5;
/** Item ids of delivered messages a pass reports (a canary's are far fewer): bounded, so a long pass keeps flat memory. */
const MAX_REPORTED_ITEM_IDS = 1000;

export interface PassDeps {
  readonly dlq: DeadLetterQueue;
  readonly worker: WorkerName;
  /** The status items of these ids, by id. */
  statusItems(ids: readonly string[]): Promise<ReadonlyMap<string, StatusItem>>;
  /** Records delivered messages before they are deleted; absent in a dry run. */
  record?(entries: readonly LedgerEntry[]): Promise<void>;
  readonly sink: Sink;
  readonly pacer: Pacer;
}

export interface PassOptions {
  readonly runId: string;
  readonly queue: string;
  readonly filter?: RedriveFilter;
  /** Only these messages (archive by message id). */
  readonly messageIds?: ReadonlySet<string>;
  /** Most messages to deliver (or, in a dry run, to count). */
  readonly limit: number;
  /** Count and sample only: nothing is delivered or deleted. */
  readonly dryRun?: boolean;
  /** Epoch ms after which no more messages are received. */
  readonly deadline: number;
  /** Seconds a received message stays hidden: until the invocation ends. */
  holdSeconds(): number;
  /** Checked between batches: a cancel, or the lease lost. */
  shouldStop(): Promise<boolean>;
  /** After each batch, with the counts so far. */
  onProgress?(counts: RunCounts): Promise<void>;
  /** Dead letters a dry run shows. @default 10 */
  readonly sampleSize?: number;
}

export interface PassResult {
  /** This pass's counts. */
  readonly counts: RunCounts;
  /** Why it ended: the DLQ had nothing more to show, the limit or every asked message was reached, time ran out, or it was asked to stop. */
  readonly ended: 'empty' | 'limit' | 'deadline' | 'stopped';
  /** The items of the messages delivered (the first ones, up to a bound). */
  readonly deliveredItemIds: readonly string[];
  readonly failures: readonly RunFailure[];
  readonly sample: readonly DeadLetterSample[];
}

export async function runPass(deps: PassDeps, options: PassOptions): Promise<PassResult> {
  const counts = { ...ZERO_COUNTS };
  const held: Message[] = [];
  const deliveredItemIds: string[] = [];
  const failures: RunFailure[] = [];
  const sample: DeadLetterSample[] = [];
  const found = new Set<string>();
  const wantsStatus = needsStatus(options.filter) || options.dryRun === true || deps.sink.kind === 'archive';
  // Batches delivered while the ledger is being written share its next write.
  const ledger = deps.record && new GroupCommit(deps.record);
  // Taken by a lane (counted, or to be delivered): never more than the limit, whatever the lanes do at once.
  let reserved = 0;
  let ended: PassResult['ended'] | undefined;
  const refuse = (refused: readonly Refused[]) => {
    counts.failed += refused.length;
    for (const { message, reason } of refused) if (failures.length < MAX_REPORTED_FAILURES) failures.push({ messageId: message.MessageId, reason });
  };

  /** Why the pass should end before the next batch, if it should. */
  const endBeforeBatch = async (): Promise<PassResult['ended'] | undefined> => {
    if (ended) return ended;
    if (Date.now() >= options.deadline) return 'deadline';
    if (reserved >= options.limit || (options.messageIds && found.size === options.messageIds.size)) return 'limit';
    return (await options.shouldStop()) ? 'stopped' : undefined;
  };

  /** One batch: received, judged, delivered, recorded, deleted. */
  const batch = async (): Promise<void> => {
    const messages = await deps.dlq.receive(deps.pacer.batchSize, options.holdSeconds());
    if (messages.length === 0) {
      ended ??= 'empty';
      return;
    }
    counts.scanned += messages.length;
    const candidates = await describeMessages(deps, messages, wantsStatus);
    const matching = candidates.filter((candidate) => (!options.messageIds || options.messageIds.has(candidate.messageId)) && matches(options.filter, candidate));
    const chosen = matching.slice(0, Math.max(0, options.limit - reserved));
    reserved += chosen.length;
    for (const candidate of chosen) found.add(candidate.messageId);
    counts.matched += chosen.length;
    held.push(...candidates.filter((candidate) => !chosen.includes(candidate)).map((candidate) => candidate.message));
    if (options.dryRun) {
      held.push(...chosen.map((candidate) => candidate.message));
      sample.push(...chosen.slice(0, (options.sampleSize ?? 10) - sample.length).map(sampleOf));
    } else if (chosen.length > 0) {
      await deps.pacer.take(chosen.length);
      const outcome = await deps.sink.deliver(chosen);
      held.push(...outcome.refused.map((refused) => refused.message));
      refuse(outcome.refused);
      await ledger?.add(outcome.delivered.map((delivery) => entryOf(options, delivery)));
      const undeleted = await deps.dlq.delete(outcome.delivered.map((delivery) => delivery.taken.message));
      const kept = new Set(undeleted.map((refused) => refused.message));
      const gone = outcome.delivered.filter((delivery) => !kept.has(delivery.taken.message));
      deliveredItemIds.push(...gone.flatMap((delivery) => delivery.taken.itemIds).slice(0, MAX_REPORTED_ITEM_IDS - deliveredItemIds.length));
      counts[deps.sink.kind === 'archive' ? 'archived' : 'moved'] += gone.length;
      // Delivered but still in the DLQ as well: counted as failed, so nothing is duplicated silently.
      refuse(undeleted.map(({ message, reason }) => ({ message, reason: `delivered, but still in the DLQ too (${reason})` })));
    }
    await options.onProgress?.({ ...counts });
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      const reason = await endBeforeBatch();
      if (reason !== undefined) {
        ended ??= reason;
        return;
      }
      await batch();
    }
  };

  try {
    // Several batches in flight: each waits on SQS and DynamoDB most of its time. One lane for a slow
    // rate, which one batch a second already meets.
    await Promise.all(Array.from({ length: lanesFor(deps.pacer.perSecondRate) }, lane));
  } finally {
    await deps.dlq.release(held);
  }
  return { counts, ended: ended ?? 'deadline', deliveredItemIds, failures, sample };
}

/** Batches in flight at once: enough to keep the rate, at most MAX_LANES. */
function lanesFor(perSecond: number): number {
  return Math.max(1, Math.min(MAX_LANES, Math.ceil(perSecond / (SQS_BATCH_LIMIT * BATCHES_PER_LANE_SECOND))));
}

/** Received messages with their items, and the items' status when asked for. */
export async function describeMessages(deps: Pick<PassDeps, 'worker' | 'statusItems'>, messages: readonly Message[], wantsStatus: boolean): Promise<Taken[]> {
  const itemIds = messages.map((message) => itemIdsOf(deps.worker, message));
  const items = wantsStatus ? await deps.statusItems(itemIds.flat()) : new Map<string, StatusItem>();
  return messages.map((message, index) => ({
    message,
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    sentAt: sentAtOf(message),
    itemIds: itemIds[index]!,
    items: itemIds[index]!.flatMap((id) => items.get(id) ?? []),
  }));
}

function entryOf(options: PassOptions, { taken, newMessageId, archiveKey }: Delivered): LedgerEntry {
  return {
    runId: options.runId,
    queue: options.queue,
    oldMessageId: taken.messageId,
    ...(newMessageId ? { newMessageId } : {}),
    ...(archiveKey ? { archiveKey } : {}),
    itemIds: taken.itemIds,
    at: new Date().toISOString(),
  };
}

export function sampleOf(taken: Taken): DeadLetterSample {
  const reason = failureReasonOf(taken.items);
  return {
    messageId: taken.messageId,
    ...(taken.sentAt ? { sentAt: taken.sentAt.toISOString() } : {}),
    itemIds: taken.itemIds,
    ...(reason ? { reason } : {}),
    bodyExcerpt: taken.body.slice(0, SAMPLE_BODY_CHARS),
  };
}
