/**
 * One SQS event source mapping, run the way Lambda runs it: pollers long-poll the queue through the
 * real SDK, fill a batch within the batching window, invoke the function and delete what succeeded. A
 * failed or timed-out invocation deletes nothing: the messages come back after their visibility timeout
 * and the queue's redrive policy moves them to the DLQ after maxReceiveCount.
 *
 * Pollers scale as Lambda documents for standard queues: five concurrent batches to begin with; while
 * messages are still available (a poller's batch came back full) up to 300 more per minute, so one more
 * at most every 200 ms, up to `maxConcurrency`; when traffic is low (a poller's long poll came back
 * empty) back down to five. A small load thus runs in few execution environments, a backlog in all.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalEventSourceMapping } from '../template/model';
import { recordsToDelete, sqsEvent } from './sqs-event';

/** What a poller needs from an event source mapping of the template. */
export type PollerMapping = Pick<
  LocalEventSourceMapping,
  'queueUrl' | 'queueArn' | 'batchSize' | 'maximumBatchingWindowSeconds' | 'maxConcurrency' | 'reportBatchItemFailures'
>;

export interface SqsPollerOptions {
  readonly mapping: PollerMapping;
  readonly sqs: SQSClient;
  readonly region: string;
  /** Invokes the function; rejects when it fails. */
  readonly invoke: (event: unknown) => Promise<unknown>;
  /** Receives the poller's own warnings (a failed receive, an invalid batch response). */
  readonly log: (line: string) => void;
  /** Long-poll wait of each ReceiveMessage, seconds (0..20). @default 20 */
  readonly waitTimeSeconds?: number;
}

const SQS_BATCH_LIMIT = 10;
/** Concurrent batches Lambda starts with, and scales back to when traffic is low. */
const INITIAL_POLLERS = 5;
/** Most pollers of a mapping without a maximum concurrency: Lambda would scale on, the local cloud stays at five. */
export const DEFAULT_POLLERS = INITIAL_POLLERS;
/** Lambda adds up to 300 concurrent batches per minute while messages are still available. */
const SCALE_UP_INTERVAL_MS = 60_000 / 300;

export class SqsPoller {
  private readonly abort = new AbortController();
  private readonly loops = new Set<Promise<void>>();
  private readonly maxPollers: number;
  private readonly minPollers: number;
  /** Pollers running: counted apart from `loops`, whose entries leave a tick after their poller retires. */
  private active = 0;
  private lastScaleUp = 0;
  private scaleUpTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SqsPollerOptions) {
    this.maxPollers = options.mapping.maxConcurrency ?? DEFAULT_POLLERS;
    this.minPollers = Math.min(INITIAL_POLLERS, this.maxPollers);
  }

  /** Pollers running now (they grow with a backlog and shrink back when the queue runs dry). */
  get pollers(): number {
    return this.active;
  }

  start(): void {
    for (let index = 0; index < this.minPollers; index += 1) this.addPoller();
  }

  /**
   * Stops receiving and waits up to `graceMs` for invocations in flight to finish and be acknowledged.
   * A receive cut short may leave its messages invisible until their visibility timeout: never lost.
   */
  async stop(graceMs: number): Promise<void> {
    this.abort.abort();
    clearTimeout(this.scaleUpTimer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs).unref()));
    await Promise.race([Promise.all([...this.loops]), grace]);
    clearTimeout(timer);
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private addPoller(): void {
    this.active += 1;
    this.lastScaleUp = Date.now();
    const loop: Promise<void> = this.poll().finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  /** One more poller when a batch came back full (messages are still available), at Lambda's pace. */
  private scaleUp(): void {
    if (this.stopping || this.scaleUpTimer || this.active >= this.maxPollers) return;
    const waitMs = Math.max(0, this.lastScaleUp + SCALE_UP_INTERVAL_MS - Date.now());
    this.scaleUpTimer = setTimeout(() => {
      this.scaleUpTimer = undefined;
      if (!this.stopping && this.active < this.maxPollers) this.addPoller();
    }, waitMs);
  }

  private async poll(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const messages = await this.receiveBatch();
        failures = 0;
        if (messages.length === 0) {
          // Traffic is low: a long poll found nothing. Pollers beyond the initial five retire.
          if (this.active > this.minPollers) {
            this.active -= 1;
            return;
          }
          continue;
        }
        if (messages.length >= this.options.mapping.batchSize) this.scaleUp();
        if (this.stopping) await this.release(messages);
        else await this.process(messages);
      } catch (error) {
        if (this.stopping) return;
        failures += 1;
        this.options.log(`[sqs poller] ${this.options.mapping.queueArn}: ${(error as Error).message}; retrying`);
        await sleep(Math.min(5_000, 250 * 2 ** failures), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  /**
   * One long poll, then more receives until the batch is full or the batching window closes. SQS waits
   * in whole seconds: whole seconds of the window are long polls (they return as soon as messages
   * arrive), the last fraction is slept through before one final short poll. Without that, a 1-second
   * window would never gather anything: its remainder is always under a second.
   */
  private async receiveBatch(): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.options.mapping;
    const batch = await this.receive(Math.min(batchSize, SQS_BATCH_LIMIT), this.options.waitTimeSeconds ?? 20);
    const windowEnd = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (batch.length > 0 && batch.length < batchSize && !this.stopping) {
      const remainingMs = windowEnd - Date.now();
      if (remainingMs <= 0) break;
      const waitSeconds = Math.min(20, Math.floor(remainingMs / 1000));
      if (waitSeconds === 0) await sleep(remainingMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
      if (this.stopping) break;
      const more = await this.receive(Math.min(batchSize - batch.length, SQS_BATCH_LIMIT), waitSeconds).catch((error: unknown) => {
        if (this.stopping) return []; // keep what was received: poll() hands it back to the queue
        throw error;
      });
      batch.push(...more);
      if (waitSeconds === 0) break; // the window has closed
    }
    return batch;
  }

  private async receive(maxMessages: number, waitSeconds: number): Promise<Message[]> {
    const output = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.mapping.queueUrl,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: waitSeconds,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return output.Messages ?? [];
  }

  private async process(messages: Message[]): Promise<void> {
    const { mapping } = this.options;
    const event = sqsEvent(messages, mapping.queueArn, this.options.region);
    let result: unknown;
    try {
      result = await this.options.invoke(event);
    } catch {
      return; // the function logged its failure; the messages come back after their visibility timeout
    }
    const verdict = recordsToDelete(event.Records, result, mapping.reportBatchItemFailures);
    if (verdict.invalidResponse) this.options.log(`[sqs poller] invalid batch response, the whole batch failed: ${verdict.invalidResponse}`);
    await this.deleteAll(verdict.delete.map((record) => record.receiptHandle));
  }

  private async deleteAll(receiptHandles: readonly string[]): Promise<void> {
    for (const chunk of chunks(receiptHandles, SQS_BATCH_LIMIT)) {
      const output = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.mapping.queueUrl,
          Entries: chunk.map((ReceiptHandle, index) => ({ Id: String(index), ReceiptHandle })),
        }),
      );
      for (const failed of output.Failed ?? []) this.options.log(`[sqs poller] could not delete a message: ${failed.Code}: ${failed.Message}`);
    }
  }

  /** Messages received as the poller stops go back to the queue at once instead of after their visibility timeout. */
  private async release(messages: readonly Message[]): Promise<void> {
    for (const chunk of chunks(messages, SQS_BATCH_LIMIT)) {
      await this.options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.mapping.queueUrl,
          Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
