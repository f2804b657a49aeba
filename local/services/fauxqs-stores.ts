/**
 * fauxqs's stores (SQS, SNS, S3), made here and handed to its `buildApp`, so that the backend can
 * reach the SQS store. fauxqs exports neither the store classes nor its persistence (only
 * `startFauxqs` wires them, and it listens on every interface): they are loaded from its own files,
 * beside its entry point. package.json pins fauxqs to an exact version for this reason.
 */
import type { BuildAppOptions } from 'fauxqs';

export type FauxqsStores = NonNullable<BuildAppOptions['stores']>;

type StoreClass<T> = new () => T;

/** A module of fauxqs's `dist/`, by its path relative to the entry point (`dist/app.js`). */
async function fauxqsModule<T>(path: string): Promise<T> {
  return (await import(new URL(path, import.meta.resolve('fauxqs')).href)) as T;
}

export async function createFauxqsStores(): Promise<FauxqsStores> {
  const [{ SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    fauxqsModule<{ SqsStore: StoreClass<FauxqsStores['sqsStore']> }>('./sqs/sqsStore.js'),
    fauxqsModule<{ SnsStore: StoreClass<FauxqsStores['snsStore']> }>('./sns/snsStore.js'),
    fauxqsModule<{ S3Store: StoreClass<FauxqsStores['s3Store']> }>('./s3/s3Store.js'),
  ]);
  return { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
}
