/**
 * A Powertools idempotency persistence layer in memory, for tests of idempotent code without DynamoDB.
 * Its conditional put admits a key the way the DynamoDB layer's condition does: absent, expired, or
 * in progress past its in-progress expiry; otherwise it answers with the record that holds the key.
 */
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

export class InMemoryPersistenceLayer extends BasePersistenceLayer {
  /** The records by idempotency key (`<prefix>#<hash>`). */
  readonly records = new Map<string, IdempotencyRecord>();

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (record === undefined) throw new IdempotencyItemNotFoundError(`no record for ${idempotencyKey}`);
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing !== undefined && !existing.isExpired() && !inProgressExpired(existing)) {
      throw new IdempotencyItemAlreadyExistsError(`a record holds ${record.idempotencyKey}`, existing);
    }
    this.records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}

function inProgressExpired(record: IdempotencyRecord): boolean {
  const expiry = record.inProgressExpiryTimestamp;
  return record.getStatus() === IdempotencyRecordStatus.INPROGRESS && expiry !== undefined && expiry < Date.now();
}
