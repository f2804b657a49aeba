/**
 * fauxqs (SQS, SNS, S3) embedded through its `buildApp`, so that it binds 127.0.0.1 only
 * (`startFauxqs` listens on every interface), over stores of our own (`fauxqs-stores.ts`).
 */
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION } from '../template/resource-identity';
import type { Backend } from './backend';
import { createFauxqsStores } from './fauxqs-stores';

/** fauxqs builds queue URLs as `http://sqs.<region>.<FAUXQS_QUEUE_HOST>:<port>/...`; the gateway rewrites them. */
export const FAUXQS_QUEUE_HOST = 'localhost';

export async function startFauxqsBackend(): Promise<Backend> {
  const [{ buildApp }, stores] = await Promise.all([import('fauxqs'), createFauxqsStores()]);
  const app = buildApp({ logger: false, host: FAUXQS_QUEUE_HOST, defaultRegion: LOCAL_REGION, stores });
  // fauxqs returns a message whose visibility timeout (or delay) has passed only when its queue is next
  // received from, or polled: until then a peeked DLQ reads as empty, for GetQueueAttributes, the
  // inspection the local CloudWatch samples and the alarms alike. SQS returns it when the timeout
  // expires; applying every passed deadline before answering anything is the same to any client.
  app.addHook('onRequest', async () => stores.sqsStore.processAllTimers());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { port, endpoint: `http://127.0.0.1:${port}`, stop: () => app.close() };
}
