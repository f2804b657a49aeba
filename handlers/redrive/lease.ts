/**
 * One run per queue at a time: a lease item in the ledger table, taken with a conditional write, renewed
 * by the chunk that runs the run and handed from chunk to chunk. A run that crashes stops renewing, so
 * its lease expires on its own and the next start takes it over.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LEASE_KEY, LEDGER_KEYS, LEDGER_TTL_ATTRIBUTE } from '../../contract/redrive';

/** How long a lease lasts unless renewed: a few minutes after a crash, the queue is free again. */
export const LEASE_SECONDS = 180;

export interface LeaseHolder {
  readonly runId: string;
  readonly runKey: string;
  /** The chunk of the run allowed to work now. */
  readonly chunk: number;
  /** Epoch milliseconds. */
  readonly expiresAtMs: number;
}

export type Acquired = { readonly acquired: true } | { readonly acquired: false; readonly holder: LeaseHolder };

export class QueueLease {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the queue's lease for a run, unless another run holds it and it has not expired. */
  async acquire(queue: string, runId: string, runKey: string): Promise<Acquired> {
    const now = this.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.key(queue), runId, runKey, chunk: 0, ...this.expiry(now) },
          ConditionExpression: 'attribute_not_exists(#pk) OR expiresAtMs < :now',
          ExpressionAttributeNames: { '#pk': LEDGER_KEYS.partition },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return { acquired: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = await this.holder(queue);
      // Released between the write and the read: try once more.
      return holder ? { acquired: false, holder } : this.acquire(queue, runId, runKey);
    }
  }

  /** Extends the lease of this chunk of the run; false when the run no longer holds it (expired and taken, or superseded). */
  renew(queue: string, runId: string, chunk: number): Promise<boolean> {
    return this.conditionalUpdate(queue, runId, chunk, 'SET expiresAtMs = :expiresAtMs, #ttl = :ttl', {});
  }

  /** Passes the lease to the run's next chunk: from now on only that one may renew it. */
  handOff(queue: string, runId: string, chunk: number): Promise<boolean> {
    return this.conditionalUpdate(queue, runId, chunk, 'SET expiresAtMs = :expiresAtMs, #ttl = :ttl, chunk = :next', { ':next': chunk + 1 });
  }

  /** Gives the lease up, if this run still holds it. */
  async release(queue: string, runId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: this.key(queue), ConditionExpression: 'runId = :runId', ExpressionAttributeValues: { ':runId': runId } }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Who holds the queue's lease now; undefined when nobody does or it has expired. */
  async holder(queue: string): Promise<LeaseHolder | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.key(queue), ConsistentRead: true }));
    if (!Item || Number(Item.expiresAtMs) < this.now()) return undefined;
    return { runId: String(Item.runId), runKey: String(Item.runKey), chunk: Number(Item.chunk), expiresAtMs: Number(Item.expiresAtMs) };
  }

  private async conditionalUpdate(queue: string, runId: string, chunk: number, update: string, values: Record<string, unknown>): Promise<boolean> {
    const { expiresAtMs, [LEDGER_TTL_ATTRIBUTE]: ttl } = this.expiry(this.now());
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(queue),
          UpdateExpression: update,
          ConditionExpression: 'runId = :runId AND chunk = :chunk',
          ExpressionAttributeNames: { '#ttl': LEDGER_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':runId': runId, ':chunk': chunk, ':expiresAtMs': expiresAtMs, ':ttl': ttl, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private key(queue: string): Record<string, string> {
    return { [LEDGER_KEYS.partition]: queue, [LEDGER_KEYS.sort]: LEASE_KEY };
  }

  /** The lease's end, and the table's TTL a little after it, so a forgotten lease item goes away too. */
  private expiry(now: number): { expiresAtMs: number; [LEDGER_TTL_ATTRIBUTE]: number } {
    const expiresAtMs = now + LEASE_SECONDS * 1000;
    return { expiresAtMs, [LEDGER_TTL_ATTRIBUTE]: Math.ceil(expiresAtMs / 1000) + LEASE_SECONDS };
  }
}
