/**
 * The SQS actions the local cloud sees, for the queue metrics SQS itself would publish (messages sent,
 * received, deleted, empty receives): the gateway's clients' calls, and the gateway's own sends (S3
 * notifications, message move tasks), which go to fauxqs directly.
 */
import type { SqsActionListener, SqsCountedAction } from '../template/model';

const COUNTED: ReadonlySet<string> = new Set<SqsCountedAction>(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch']);

export class SqsActivity {
  private readonly listeners = new Set<SqsActionListener>();

  /** Calls `listener` for every counted action; returns the unsubscribe function. */
  on(listener: SqsActionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `count` messages sent, received or deleted on the queue of `queueUrl` (any URL form). */
  record(queueUrl: string, action: SqsCountedAction, count: number): void {
    if (this.listeners.size === 0) return;
    const queueName = new URL(queueUrl).pathname.split('/').filter(Boolean).pop() ?? queueUrl;
    for (const listener of this.listeners) listener(queueName, action, count);
  }

  /** Counts a call from fauxqs's answer: only what succeeded (a batch's `Successful` entries). */
  recordAnswer(action: string, input: Record<string, unknown>, answer: { status: number; body: { Successful?: unknown[]; Messages?: unknown[] } }): void {
    if (this.listeners.size === 0 || !COUNTED.has(action) || answer.status !== 200 || typeof input.QueueUrl !== 'string') return;
    const counts: Record<SqsCountedAction, number> = {
      SendMessage: 1,
      DeleteMessage: 1,
      SendMessageBatch: answer.body.Successful?.length ?? 0,
      DeleteMessageBatch: answer.body.Successful?.length ?? 0,
      ReceiveMessage: answer.body.Messages?.length ?? 0,
    };
    this.record(input.QueueUrl, action as SqsCountedAction, counts[action as SqsCountedAction]);
  }
}
