/**
 * Reads and writes status items (contract/status-item.ts) in the status table. All writes are single UpdateItem or
 * conditional PutItem calls, so concurrent workers never lose each other's fields. A store bound to a
 * work queue (`withQueue`) sets `queue` on every file or job item it writes, with `updatedAt`, so the
 * item shows in the table's queue index; content-hash markers never get one and stay out of it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ItemKind, ItemStatus, LastError, StatusItem } from '../../contract/status-item';

type Fields = Partial<Omit<StatusItem, 'id' | 'kind' | 'queue' | 'status' | 'createdAt' | 'updatedAt'>>;

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

  /** Creates a new item; fails with ConditionalCheckFailedException if the id already exists. */
  async create(id: string, kind: ItemKind, status: ItemStatus, fields: Fields = {}): Promise<StatusItem> {
    const at = this.now().toISOString();
    const item = { ...withoutUndefined(fields), id, kind, ...this.queueField(), status, createdAt: at, updatedAt: at } as StatusItem;
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
    );
    return item;
  }

  /** Sets the status and fields of an item, creating it if absent (createdAt is kept when present). */
  async update(id: string, kind: ItemKind, status: ItemStatus, fields: Fields = {}): Promise<void> {
    const at = this.now().toISOString();
    const values: Record<string, unknown> = { ':kind': kind, ':status': status, ':at': at };
    const names: Record<string, string> = { '#kind': 'kind', '#status': 'status' };
    const sets = ['#kind = :kind', '#status = :status', 'updatedAt = :at', 'createdAt = if_not_exists(createdAt, :at)'];
    for (const [key, value] of Object.entries({ ...this.queueField(), ...withoutUndefined(fields) })) {
      names[`#${key}`] = key;
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
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
