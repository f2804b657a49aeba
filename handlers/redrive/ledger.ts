/**
 * The audit ledger (its own table, kept 90 days by TTL): one record per run (who asked, when, what, the
 * counts and how it ended) and, for selective redrives and archives, an entry per message moved (its
 * items, old and new message id, stored a batch of messages to an item), so each item's outcome can be
 * looked up later. A run's record is
 * written by the one chunk holding the queue's lease; a cancel only sets `cancelRequestedAt`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  entryKey,
  entryKeyPrefix,
  LEDGER_KEYS,
  LEDGER_RETENTION_DAYS,
  LEDGER_TTL_ATTRIBUTE,
  RUN_KEY_PREFIX,
  runKey,
  type LedgerEntry,
  type RedriveRun,
} from '../../contract/redrive';

/** A run as stored: the contract's record, its key and whether someone asked to cancel it. */
export interface StoredRun extends RedriveRun {
  readonly runKey: string;
  readonly cancelRequestedAt?: string;
  readonly cancelRequestedBy?: string;
}

/** Entries one ledger item holds: each a few hundred bytes, well within DynamoDB's 400 KB item. */
const ENTRIES_PER_ITEM = 100;
const DAY_SECONDS = 86_400;

export class Ledger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a new run. */
  async create(run: RedriveRun): Promise<StoredRun> {
    const stored: StoredRun = { ...run, runKey: runKey(run.startedAt, run.runId) };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.item(stored.queue, stored.runKey, stored),
        ConditionExpression: 'attribute_not_exists(#sk)',
        ExpressionAttributeNames: { '#sk': LEDGER_KEYS.sort },
      }),
    );
    return stored;
  }

  /** Writes a run's progress; a cancel request written meanwhile is kept (it is never part of `run`). */
  async save(run: StoredRun): Promise<void> {
    await this.client.send(this.update(run));
  }

  /**
   * Writes `run` only if the stored record is still the one read as `seen` (same status, same last
   * update): a reader that finds a run stalled must not overwrite its end, written meanwhile by the
   * chunk that finished it. False when the record had changed.
   */
  async saveUnlessChanged(run: StoredRun, seen: StoredRun): Promise<boolean> {
    const unchanged = {
      expression: '#seenStatus = :seenStatus AND #seenUpdatedAt = :seenUpdatedAt',
      names: { '#seenStatus': 'status', '#seenUpdatedAt': 'updatedAt' },
      values: { ':seenStatus': seen.status, ':seenUpdatedAt': seen.updatedAt },
    };
    try {
      await this.client.send(this.update(run, unchanged));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The update that writes a run's fields (not its keys, nor a cancel request: the canceller's to write). */
  private update(run: StoredRun, condition?: { expression: string; names: Record<string, string>; values: Record<string, unknown> }): UpdateCommand {
    const { runKey: key, queue: _queue, cancelRequestedAt: _at, cancelRequestedBy: _by, ...fields } = { ...run, updatedAt: this.now().toISOString() };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([field, value], index) => {
        names[`#f${index}`] = field;
        values[`:v${index}`] = value;
        return `#f${index} = :v${index}`;
      });
    return new UpdateCommand({
      TableName: this.tableName,
      Key: this.key(run.queue, key),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ...(condition ? { ConditionExpression: condition.expression } : {}),
      ExpressionAttributeNames: { ...names, ...condition?.names },
      ExpressionAttributeValues: { ...values, ...condition?.values },
    });
  }

  /** Asks a run to stop; the chunk running it sees the request and stops. */
  async requestCancel(run: StoredRun, by: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(run.queue, run.runKey),
        UpdateExpression: 'SET cancelRequestedAt = if_not_exists(cancelRequestedAt, :at), cancelRequestedBy = if_not_exists(cancelRequestedBy, :by)',
        ExpressionAttributeValues: { ':at': this.now().toISOString(), ':by': by },
      }),
    );
  }

  async get(queue: string, key: string): Promise<StoredRun | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.key(queue, key), ConsistentRead: true }));
    return Item && fieldsOf<StoredRun>(Item);
  }

  /** The queue's newest runs, newest first. */
  async runs(queue: string, limit: number): Promise<StoredRun[]> {
    return this.query<StoredRun>(queue, { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': RUN_KEY_PREFIX } }, limit);
  }

  /** The queue's runs started in [from, to), newest first. */
  async runsStartedBetween(queue: string, from: Date, to: Date): Promise<StoredRun[]> {
    // `run#<to>` sorts before every key of a run started at `to`: the range ends just before them.
    const range = { ':from': `${RUN_KEY_PREFIX}${from.toISOString()}`, ':to': `${RUN_KEY_PREFIX}${to.toISOString()}` };
    return this.query<StoredRun>(queue, { expression: '#sk BETWEEN :from AND :to', values: range }, Number.POSITIVE_INFINITY);
  }

  /** The messages a run moved or archived (at most `limit`). */
  async entries(queue: string, runId: string, limit = 1000): Promise<LedgerEntry[]> {
    const batches = await this.query<{ entries: LedgerEntry[] }>(queue, { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': entryKeyPrefix(runId) } }, limit);
    return batches.flatMap((batch) => batch.entries).slice(0, limit);
  }

  /** Items of the queue whose sort key meets `sortKey`, newest (highest key) first, following pages up to `limit`. */
  private async query<T>(queue: string, sortKey: { expression: string; values: Record<string, string> }, limit: number): Promise<T[]> {
    const items: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: `#pk = :queue AND ${sortKey.expression}`,
          ExpressionAttributeNames: { '#pk': LEDGER_KEYS.partition, '#sk': LEDGER_KEYS.sort },
          ExpressionAttributeValues: { ':queue': queue, ...sortKey.values },
          ScanIndexForward: false,
          ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []).map((item) => fieldsOf<T>(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }

  /**
   * Records the messages a run moved or archived, before they are deleted from the DLQ: one item per
   * ENTRIES_PER_ITEM messages (a pass writes the batches it has in flight together), each holding its
   * messages' entries, so the ledger costs one write per group of batches, not per message.
   */
  async addEntries(entries: readonly LedgerEntry[]): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (let start = 0; start < entries.length; start += ENTRIES_PER_ITEM) {
      const group = entries.slice(start, start + ENTRIES_PER_ITEM);
      const first = group[0]!;
      writes.push(this.client.send(new PutCommand({ TableName: this.tableName, Item: this.item(first.queue, entryKey(first.runId, first.oldMessageId), { runId: first.runId, entries: group }) })));
    }
    await Promise.all(writes);
  }

  private key(queue: string, sortKey: string): Record<string, string> {
    return { [LEDGER_KEYS.partition]: queue, [LEDGER_KEYS.sort]: sortKey };
  }

  private item(queue: string, sortKey: string, fields: object): Record<string, unknown> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + LEDGER_RETENTION_DAYS * DAY_SECONDS;
    return { ...fields, ...this.key(queue, sortKey), [LEDGER_TTL_ATTRIBUTE]: expiresAt };
  }
}

/** A stored item without the table's own attributes (sort key, time to live). */
function fieldsOf<T>(item: Record<string, unknown>): T {
  const { [LEDGER_KEYS.sort]: _sortKey, [LEDGER_TTL_ATTRIBUTE]: _expiresAt, ...fields } = item;
  return fields as T;
}
