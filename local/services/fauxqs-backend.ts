/**
 * fauxqs (SQS, SNS, S3) embedded through its `buildApp`, so that it binds 127.0.0.1 only
 * (`startFauxqs` listens on every interface), over stores of our own (`fauxqs-stores.ts`): in memory,
 * or in fauxqs's SQLite file under a data directory when data is kept. Its SQS actions are also callable
 * in process (`fauxqs-sqs.ts`), over the same store, for the gateway.
 */
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION } from '../template/resource-identity';
import type { Backend } from './backend';
import { acceptSqsBodyCharacters } from './fauxqs-message-body';
import { createFauxqsStores } from './fauxqs-stores';
import { loadFauxqsSqs, type FauxqsSqs } from './fauxqs-sqs';
import { sqsQueryError } from './sqs-error-codes';

/** fauxqs builds queue URLs as `http://sqs.<region>.<FAUXQS_QUEUE_HOST>:<port>/...`; the gateway rewrites them. */
export const FAUXQS_QUEUE_HOST = 'localhost';

/** What the error-code hook uses of a Fastify reply. */
interface Reply {
  readonly statusCode: number;
  getHeader(name: string): unknown;
  header(name: string, value: string): { code(status: number): unknown };
}

export interface FauxqsBackendOptions {
  /** Directory of the SQLite file keeping queues, messages, topics, subscriptions, buckets and objects; in memory when undefined. */
  readonly dataDirectory?: string;
}

export interface FauxqsBackend extends Backend {
  /** Its SQS actions, in process. */
  readonly sqs: FauxqsSqs;
}

export async function startFauxqsBackend(options: FauxqsBackendOptions = {}): Promise<FauxqsBackend> {
  const [{ buildApp }, state] = await Promise.all([import('fauxqs'), createFauxqsStores(options.dataDirectory), acceptSqsBodyCharacters()]);
  const sqs = await loadFauxqsSqs(state.stores.sqsStore);
  const app = buildApp({ logger: false, host: FAUXQS_QUEUE_HOST, defaultRegion: LOCAL_REGION, stores: state.stores });
  // fauxqs returns a message whose visibility timeout (or delay) has passed only when its queue is next
  // received from, or polled: until then a peeked DLQ reads as empty, for GetQueueAttributes, the
  // inspection the local CloudWatch samples and the alarms alike. SQS returns it when the timeout
  // expires; applying every passed deadline before answering anything is the same to any client.
  app.addHook('onRequest', async () => state.stores.sqsStore.processAllTimers());
  // SQS's query-compatible error codes and statuses, for the gateway's clients and the services half's own.
  app.addHook('onSend', async (_request: unknown, reply: Reply, payload: unknown) => {
    const queryError = reply.getHeader('x-amzn-query-error');
    if (typeof queryError !== 'string' || typeof payload !== 'string') return payload;
    const { code, status } = sqsQueryError((JSON.parse(payload) as { __type: string }).__type, reply.statusCode);
    reply.header('x-amzn-query-error', `${code};${queryError.split(';')[1] ?? 'Sender'}`).code(status);
    return payload;
  });
  app.addHook('onClose', async () => state.close());
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  return { port, endpoint: `http://127.0.0.1:${port}`, sqs, stop: () => app.close() };
}
