/**
 * A work queue's dead-letter queue, as the redrive function handles it: receive with long polling (the
 * messages hidden for as long as the caller holds them), release what it let go of, delete only what it
 * has delivered, count, and peek without taking anything.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageSystemAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** SQS's batch limit (receive, delete, change visibility). */
export const SQS_BATCH_LIMIT = 10;
/** SQS refuses visibility timeouts over 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;
/**
 * A long poll (any wait over 0) asks every SQS server, so an empty answer means the queue has nothing
 * visible; the shortest wait keeps the end of a scan quick, where every batch in flight waits it out.
 */
export const LONG_POLL_SECONDS = 1;
const SYSTEM_ATTRIBUTES = ['SentTimestamp', 'ApproximateReceiveCount', 'AWSTraceHeader'] as MessageSystemAttributeName[];

/** A message that could not be handled, and why. */
export interface Refused {
  readonly message: Message;
  readonly reason: string;
}

export class DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly url: string,
  ) {}

  /** Up to `max` messages, hidden from everyone else for `visibilitySeconds`. */
  async receive(max: number, visibilitySeconds: number, waitSeconds = LONG_POLL_SECONDS): Promise<Message[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.url,
        MaxNumberOfMessages: Math.min(SQS_BATCH_LIMIT, Math.max(1, max)),
        VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(visibilitySeconds))),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: SYSTEM_ATTRIBUTES,
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  }

  /**
   * Up to `max` distinct messages, each visible again at once, so nothing is hidden from a redrive and the
   * DLQ alarm never sees the queue empty. Each peek counts as one receive on the messages it sees: harmless
   * on a DLQ, which has no redrive policy of its own, and a moved message starts over as a new one.
   */
  async peek(max: number): Promise<Message[]> {
    const seen = new Map<string, Message>();
    // With a zero timeout the same messages can come back: stop at the first round that adds nothing.
    for (let round = 0; seen.size < max && round < Math.ceil(max / SQS_BATCH_LIMIT) + 2; round++) {
      const before = seen.size;
      for (const message of await this.receive(max - seen.size, 0, 1)) if (message.MessageId && seen.size < max) seen.set(message.MessageId, message);
      if (seen.size === before) break;
    }
    return [...seen.values()];
  }

  /** Makes messages visible again at once; one that cannot be (its hold already ended) comes back anyway. */
  async release(messages: readonly Message[]): Promise<void> {
    for (const batch of batches(messages)) {
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.url,
          Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  /** Deletes delivered messages; answers those SQS would not delete (still in the DLQ). */
  async delete(messages: readonly Message[]): Promise<Refused[]> {
    const refused: Refused[] = [];
    for (const batch of batches(messages)) {
      const { Failed = [] } = await this.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }),
      );
      for (const failure of Failed) refused.push({ message: batch[Number(failure.Id)]!, reason: `${failure.Code}: ${failure.Message ?? ''}` });
    }
    return refused;
  }

  /** Messages waiting (visible) and being looked at (in flight), as SQS counts them. */
  async depth(): Promise<{ visible: number; inFlight: number }> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(Attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }
}

/** When SQS first received the message (it keeps that time when it moves a message to the DLQ). */
export function sentAtOf(message: Message): Date | undefined {
  const sent = Number(message.Attributes?.SentTimestamp);
  return Number.isFinite(sent) && sent > 0 ? new Date(sent) : undefined;
}

function batches<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += SQS_BATCH_LIMIT) result.push(items.slice(start, start + SQS_BATCH_LIMIT));
  return result;
}
