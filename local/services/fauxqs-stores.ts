/**
 * fauxqs's stores (SQS, SNS, S3), made here and handed to its `buildApp`, so that the backend can
 * reach the SQS store, and kept in fauxqs's own SQLite persistence when data is kept. fauxqs exports
 * neither the store classes nor its persistence (only `startFauxqs` wires them, and it listens on every
 * interface): they are loaded from its own files, beside its entry point. package.json pins fauxqs to
 * an exact version for this reason.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { BuildAppOptions } from 'fauxqs';

export type FauxqsStores = NonNullable<BuildAppOptions['stores']>;

export interface FauxqsState {
  readonly stores: FauxqsStores;
  /** Closes the SQLite database, if any: after the server has closed. */
  close(): void;
}

type StoreClass<T> = new () => T;
type Persistence = NonNullable<FauxqsStores['sqsStore']['persistence']>;
type PersistenceClass = new (dataDirectory: string) => Persistence;

/** A module of fauxqs's `dist/`, by its path relative to the entry point (`dist/app.js`). */
async function fauxqsModule<T>(path: string): Promise<T> {
  return (await import(new URL(path, import.meta.resolve('fauxqs')).href)) as T;
}

/** @param dataDirectory where fauxqs's SQLite file lives; in memory when undefined. */
export async function createFauxqsStores(dataDirectory?: string): Promise<FauxqsState> {
  const [{ SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    fauxqsModule<{ SqsStore: StoreClass<FauxqsStores['sqsStore']> }>('./sqs/sqsStore.js'),
    fauxqsModule<{ SnsStore: StoreClass<FauxqsStores['snsStore']> }>('./sns/snsStore.js'),
    fauxqsModule<{ S3Store: StoreClass<FauxqsStores['s3Store']> }>('./s3/s3Store.js'),
  ]);
  const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  if (dataDirectory === undefined) return { stores, close: () => undefined };

  const { PersistenceManager } = await fauxqsModule<{ PersistenceManager: PersistenceClass }>('./persistence.js');
  const persistence = new (keepingReceiveCounts(PersistenceManager))(dataDirectory);
  // As startFauxqs does: load first, then write through (stores that persist while loading write every row back).
  persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  stores.sqsStore.persistence = persistence;
  stores.snsStore.persistence = persistence;
  stores.s3Store.persistence = persistence;
  for (const queue of stores.sqsStore.allQueues()) queue.persistence = persistence;
  return { stores, close: () => persistence.close() };
}

/**
 * fauxqs 2.4.1 records a message made visible again (ChangeMessageVisibility to 0, which the pollers do
 * with a batch they did not run) by writing NULL into its NOT NULL receive count: the statement throws
 * and the message is lost from memory. Only the in-flight columns are cleared here, so the message is
 * ready with its receive count, in memory and on disk.
 */
function keepingReceiveCounts(Base: PersistenceClass): PersistenceClass {
  return class extends Base {
    // fauxqs keeps its database private; this statement is the one it means to run.
    private readonly markReady = (this as unknown as { db: DatabaseSync }).db.prepare(
      'UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?',
    );

    override updateMessageReady(messageId: string): void {
      this.markReady.run(messageId);
    }
  };
}
