/**
 * Reads and writes status items (contract/status-item.ts) in the status table. All writes are single UpdateItem or
 * conditional PutItem calls, so concurrent workers never lose each other's fields. A store bound to a
 * work queue (`withQueue`) sets `queue` on every file or job item it writes, with `updatedAt`, so the
 * item shows in the table's queue index; content-hash markers never get one and stay out of it.
 * Items stay within DynamoDB's 400 KB: a new item is measured before it is written, and an update that
 * would grow an item past it is a permanent StatusItemTooLargeError, since the same write fails every time.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isDone, type ItemKind, type ItemStatus, type LastError, type StatusItem } from '../../contract/status-item';
import { PermanentError } from './errors';
import { itemBytes, MAX_ITEM_BYTES } from './item-size';

type Fields = Partial<Omit<StatusItem, 'id' | 'kind' | 'queue' | 'status' | 'createdAt' | 'updatedAt'>>;

/**
 * Room a new item keeps for what the workers add to it besides a job's result: status, attempts, timestamps
 * and a lastError (its message at most 1000 characters, so at most about 3 KB).
 */
export const ROOM_FOR_UPDATES_BYTES = 4 * 1024;

/** A status item that DynamoDB cannot hold: over its 400 KB item limit. */
export class StatusItemTooLargeError extends PermanentError {
  override readonly name = 'StatusItemTooLargeError';
}

/**
 * A run's write found the item already completed by that same run: an earlier delivery finished it and
 * its idempotency record was lost (the environment crashed between the two writes). Holds the item.
 */
export class RunAlreadyCompletedError extends Error {
  override readonly name = 'RunAlreadyCompletedError';
  constructor(readonly item: StatusItem) {
    super(`${item.kind} ${item.id} was already completed (${item.status}) by this run`);
  }
}

/** How DynamoDB words the refusal of an item over its limit (PutItem, UpdateItem). */
const ITEM_SIZE_EXCEEDED = /item size( to update)? has exceeded the maximum allowed size/i;

export class StatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
    /** The work queue of the items this store writes. */
    private readonly queue?: string,
  ) {}

  /** The same table, writing items of this work queue. */
  withQueue(queue: string): StatusStore {
    return new StatusStore(this.client, this.tableName, this.now, queue);
  }

  async get(id: string): Promise<StatusItem | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item as StatusItem | undefined;
  }

  /**
   * A new item, not yet written (create writes it), so a caller can check everything before it writes
   * anything. Throws StatusItemTooLargeError when it would leave less than ROOM_FOR_UPDATES_BYTES of the limit.
   */
  newItem(id: string, kind: ItemKind, status: ItemStatus, fields: Fields = {}): StatusItem {
    const at = this.now().toISOString();
    const item = { ...withoutUndefined(fields), id, kind, ...this.queueField(), status, createdAt: at, updatedAt: at } as StatusItem;
    const bytes = itemBytes(item);
    const limit = MAX_ITEM_BYTES - ROOM_FOR_UPDATES_BYTES;
    if (bytes > limit) {
      throw new StatusItemTooLargeError(
        `the ${kind}'s status item would be ${bytes} bytes, over DynamoDB's 400 KB item limit (${MAX_ITEM_BYTES} bytes, of which ${ROOM_FOR_UPDATES_BYTES} stay free for its status and errors, so at most ${limit})`,
      );
    }
    return item;
  }

  /** Writes a new item (from newItem); fails with ConditionalCheckFailedException if the id already exists. */
  async create(item: StatusItem): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(id)' }));
  }

  /**
   * Sets the status and fields of an item, creating it if absent (createdAt is kept when present).
   * Given the worker's `run`, the write is fenced: it fails with RunAlreadyCompletedError when that run
   * already completed the item, and a completing status records the run. The condition rides on the
   * write itself, so the fence costs no read; the item is read only when it fails.
   */
  async update(id: string, kind: ItemKind, status: ItemStatus, fields: Fields = {}, run?: string): Promise<void> {
    const at = this.now().toISOString();
    const values: Record<string, unknown> = { ':kind': kind, ':status': status, ':at': at };
    const names: Record<string, string> = { '#kind': 'kind', '#status': 'status' };
    const sets = ['#kind = :kind', '#status = :status', 'updatedAt = :at', 'createdAt = if_not_exists(createdAt, :at)'];
    for (const [key, value] of Object.entries({ ...this.queueField(), ...withoutUndefined(fields) })) {
      names[`#${key}`] = key;
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
    if (run !== undefined) {
      values[':run'] = run;
      // A status that completes the item records the run that completed it.
      if (isDone(status)) sets.push('completedRun = :run');
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ...(run !== undefined ? { ConditionExpression: 'attribute_not_exists(completedRun) OR completedRun <> :run' } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (run !== undefined && error instanceof ConditionalCheckFailedException) {
        const item = await this.get(id);
        // Gone since (a person deleted it): nothing completed stands in the way; the write is retried.
        if (item === undefined) throw error;
        throw new RunAlreadyCompletedError(item);
      }
      // Only the size refusal is permanent: it depends on the item's data. Other validation errors mean a
      // defect in this code or the table, which should be retried and page, not pass as bad input.
      if ((error as Error).name === 'ValidationException' && ITEM_SIZE_EXCEEDED.test((error as Error).message)) {
        throw new StatusItemTooLargeError(`the ${kind}'s status item would exceed DynamoDB's 400 KB item limit: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  private queueField(): Pick<StatusItem, 'queue'> {
    return this.queue === undefined ? {} : { queue: this.queue };
  }

  /** Records a failed attempt: FAILED when it is final (or permanent), otherwise the item stays PROCESSING. */
  async recordFailure(id: string, kind: ItemKind, attempts: number, lastError: LastError, final: boolean): Promise<void> {
    const failed = final || lastError.permanent;
    await this.update(id, kind, failed ? 'FAILED' : 'PROCESSING', {
      attempts,
      lastError,
      ...(failed ? { completedAt: this.now().toISOString() } : {}),
    });
  }

  /**
   * Claims a content hash for a file: the first file to claim it wins atomically. Returns the id of the
   * file that owns the hash (the caller's own id when it won, or on a redelivery of the same file).
   */
  async claimContentHash(contentHash: string, fileId: string): Promise<string> {
    const id = `content#${contentHash}`;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id, kind: 'content', fileId, createdAt: this.now().toISOString() },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return fileId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
      return String(Item?.fileId ?? fileId);
    }
  }

  /**
   * Gives up a file's claim on a content hash (the file failed after claiming it), so that a later upload
   * of the same content is processed rather than marked a duplicate of a file that never completed.
   * A claim owned by another file is left alone.
   */
  async releaseContentHash(contentHash: string, fileId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id: `content#${contentHash}` },
          ConditionExpression: 'fileId = :fileId',
          ExpressionAttributeValues: { ':fileId': fileId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function withoutUndefined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
