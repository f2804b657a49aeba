/**
 * fauxqs's SQS actions called in the gateway's own process, over the store its server holds: the gateway
 * already has the request parsed, and a second HTTP exchange (client, server and fauxqs's Fastify
 * pipeline) cost more than most actions themselves. What fauxqs's server adds is done here too: every
 * passed visibility timeout and delay applied first, and errors with SQS's codes and statuses. fauxqs
 * exports neither its router nor its actions: they are loaded from its own files, beside its entry point,
 * as its stores are (package.json pins fauxqs to an exact version for this reason).
 * One difference from SQS is made good here: fauxqs wakes every waiting long poll when one message
 * arrives, and all but one come back empty at once; SQS keeps the others waiting (receiveLongPoll).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FauxqsStores } from './fauxqs-stores';
import { sqsQueryError } from './sqs-error-codes';

/** What fauxqs 2.4.1 implements (its README's SQS table). */
export const FAUXQS_SQS_ACTIONS = [
  'CreateQueue', 'DeleteQueue', 'GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'SetQueueAttributes', 'PurgeQueue',
  'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch', 'TagQueue', 'UntagQueue', 'ListQueueTags',
] as const;

type SqsStore = FauxqsStores['sqsStore'];
/** fauxqs's action signature; of the request, only the headers are read (CreateQueue's region and host). */
type ActionHandler = (input: Record<string, unknown>, store: SqsStore, request: { headers: IncomingHttpHeaders }) => unknown;

/** fauxqs's error class, as far as it is read here. */
interface FauxqsSqsError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly statusCode: number;
  readonly senderFault: boolean;
}

/** An action's answer: `body` is the JSON object fauxqs would have sent. */
export interface FauxqsSqsAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export interface FauxqsSqs {
  /** Runs `action`; `headers` stand for the request's (CreateQueue builds the queue URL from its host). */
  call(action: string, input: Record<string, unknown>, headers: IncomingHttpHeaders): Promise<FauxqsSqsAnswer>;
}

export async function loadFauxqsSqs(store: SqsStore): Promise<FauxqsSqs> {
  const handlers = new Map<string, ActionHandler>(
    await Promise.all(
      FAUXQS_SQS_ACTIONS.map(async (action) => {
        const name = action[0]!.toLowerCase() + action.slice(1);
        const module = (await import(new URL(`./sqs/actions/${name}.js`, import.meta.resolve('fauxqs')).href)) as Record<string, ActionHandler>;
        return [action, module[name]!] as const;
      }),
    ),
  );
  return {
    async call(action, input, headers) {
      const handler = handlers.get(action);
      if (!handler) throw new Error(`fauxqs has no SQS action ${action}`);
      // As fauxqs's server does before every request: messages whose timeout has passed are visible again.
      store.processAllTimers();
      const common = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() };
      try {
        const answer = action === 'ReceiveMessage' ? await receiveLongPoll(handler, input, store, headers) : await handler(input, store, { headers });
        return { status: 200, headers: common, body: (answer ?? {}) as Record<string, unknown> };
      } catch (error) {
        if ((error as Error).name !== 'SqsError') throw error;
        const { code: type, message, statusCode, senderFault } = error as FauxqsSqsError;
        const { code, status } = sqsQueryError(type, statusCode);
        return { status, headers: { ...common, 'x-amzn-query-error': `${code};${senderFault ? 'Sender' : 'Receiver'}` }, body: { __type: `com.amazonaws.sqs#${type}`, message } };
      }
    },
  };
}

/**
 * ReceiveMessage as SQS answers a long poll: empty only once its wait time is over. A poll that fauxqs
 * woke for a message another poll took waits again for what is left of its time.
 */
async function receiveLongPoll(handler: ActionHandler, input: Record<string, unknown>, store: SqsStore, headers: IncomingHttpHeaders): Promise<unknown> {
  const queue = typeof input.QueueUrl === 'string' ? store.getQueue(input.QueueUrl) : undefined;
  const waitSeconds = Number(input.WaitTimeSeconds ?? queue?.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
  const deadline = Date.now() + waitSeconds * 1000;
  let attempt = input;
  for (;;) {
    const answer = (await handler(attempt, store, { headers })) as { Messages?: unknown[] } | undefined;
    const remainingMs = deadline - Date.now();
    if (answer?.Messages !== undefined || !(waitSeconds > 0) || remainingMs <= 0) return answer;
    store.processAllTimers();
    attempt = { ...input, WaitTimeSeconds: remainingMs / 1000 };
  }
}
