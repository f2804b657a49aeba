/**
 * The SQS actions the local cloud sees, for the queue metrics SQS itself would publish (messages sent,
 * received, deleted, empty receives): the proxied client calls, and the gateway's own sends (S3
 * notifications, message move tasks), which bypass the proxy.
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

  /** Counts a proxied call from fauxqs's answer: only what succeeded (a batch's `Successful` entries). */
  recordProxied(action: string, input: Record<string, unknown>, response: { status: number; body: Buffer }): void {
    if (this.listeners.size === 0 || !COUNTED.has(action) || response.status !== 200 || typeof input.QueueUrl !== 'string') return;
    const answer = JSON.parse(response.body.toString('utf8') || '{}') as { Successful?: unknown[]; Messages?: unknown[] };
    const counts: Record<SqsCountedAction, number> = {
      SendMessage: 1,
      DeleteMessage: 1,
      SendMessageBatch: answer.Successful?.length ?? 0,
      DeleteMessageBatch: answer.Successful?.length ?? 0,
      ReceiveMessage: answer.Messages?.length ?? 0,
    };
    this.record(input.QueueUrl, action as SqsCountedAction, counts[action as SqsCountedAction]);
  }
}
