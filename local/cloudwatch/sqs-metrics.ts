/**
 * AWS/SQS metrics per queue (dimension `QueueName`), as SQS publishes them: gauges sampled from the
 * queue (visible, not visible, delayed, age of oldest message) and counters of the actions the
 * gateway proxies (sent, received, deleted, empty receives).
 */
import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, Timer } from './clock';
import type { MetricStore } from './metric-store';
import type { OldestMessageSource } from './oldest-message';

export const SQS_NAMESPACE = 'AWS/SQS';

/** The SQS actions whose counts become metrics; batch actions count their successful entries. */
export type SqsCountedAction =
  | 'SendMessage'
  | 'SendMessageBatch'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'DeleteMessageBatch';

const COUNTERS = ['NumberOfMessagesSent', 'NumberOfMessagesReceived', 'NumberOfMessagesDeleted', 'NumberOfEmptyReceives'];

const GAUGES: ReadonlyArray<[attribute: QueueAttributeName, metricName: string]> = [
  ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesVisible'],
  ['ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesNotVisible'],
  ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesDelayed'],
];

export interface SqsSamplingOptions {
  readonly sqs: SQSClient;
  /** Queue URLs to sample; the queue name is the URL's last path segment. */
  readonly queueUrls: readonly string[];
  /** Without it, `ApproximateAgeOfOldestMessage` is not published (never guessed). */
  readonly oldestMessage?: OldestMessageSource;
  /** @default 10_000 */
  readonly intervalMs?: number;
  /** Called when sampling one queue fails; sampling goes on. */
  readonly onError?: (queueName: string, error: unknown) => void;
}

export class SqsMetrics {
  private sampling: { timer?: Timer } | undefined;

  constructor(
    private readonly store: MetricStore,
    private readonly clock: Clock,
  ) {}

  /** Counts one proxied action: `count` messages sent, received or deleted (0 received = an empty receive). */
  recordAction(queueName: string, action: SqsCountedAction, count: number): void {
    switch (action) {
      case 'SendMessage':
      case 'SendMessageBatch':
        return this.count(queueName, 'NumberOfMessagesSent', count);
      case 'ReceiveMessage':
        return count === 0
          ? this.count(queueName, 'NumberOfEmptyReceives', 1)
          : this.count(queueName, 'NumberOfMessagesReceived', count);
      case 'DeleteMessage':
      case 'DeleteMessageBatch':
        return this.count(queueName, 'NumberOfMessagesDeleted', count);
      default:
        throw new Error(`SQS action ${String(action)} is not counted by the local CloudWatch`);
    }
  }

  /** Samples every queue once: gauges, age of oldest, and a zero for each counter (see below). */
  async sampleOnce(options: SqsSamplingOptions): Promise<void> {
    await Promise.all(
      options.queueUrls.map(async (queueUrl) => {
        const queueName = queueNameOf(queueUrl);
        try {
          await this.sampleQueue(options, queueUrl, queueName);
        } catch (error) {
          options.onError?.(queueName, error);
        }
      }),
    );
  }

  /** Samples now and then every `intervalMs` until `stop()`. */
  start(options: SqsSamplingOptions): void {
    this.stop();
    const sampling: { timer?: Timer } = {};
    const tick = (): void => {
      void this.sampleOnce(options).finally(() => {
        // Only the sampling that is still current reschedules itself: stop() or a restart ends it.
        if (this.sampling === sampling) sampling.timer = this.clock.setTimer(tick, options.intervalMs ?? 10_000);
      });
    };
    this.sampling = sampling;
    sampling.timer = this.clock.setTimer(tick, 0);
  }

  stop(): void {
    this.sampling?.timer?.cancel();
    this.sampling = undefined;
  }

  private async sampleQueue(options: SqsSamplingOptions, queueUrl: string, queueName: string): Promise<void> {
    const { Attributes: attributes = {} } = await options.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: GAUGES.map(([attribute]) => attribute) }),
    );
    const now = this.clock.now();
    for (const [attribute, metricName] of GAUGES) {
      const value = Number(attributes[attribute] ?? 0);
      this.put(queueName, metricName, value, 'Count', now);
    }
    if (options.oldestMessage) {
      const oldest = await options.oldestMessage(queueName);
      const ageSeconds = oldest === undefined ? 0 : Math.max(0, Math.floor((now - oldest) / 1000));
      this.put(queueName, 'ApproximateAgeOfOldestMessage', ageSeconds, 'Seconds', now);
    }
    // SQS reports zeros for the counters of an active queue, so "nothing deleted" is a datapoint of 0,
    // not missing data: a stall alarm can tell a quiet queue from one nobody drains.
    for (const counter of COUNTERS) this.put(queueName, counter, 0, 'Count', now);
  }

  private count(queueName: string, metricName: string, count: number): void {
    this.put(queueName, metricName, count, 'Count', this.clock.now());
  }

  private put(queueName: string, metricName: string, value: number, unit: string, timestamp: number): void {
    this.store.put(
      { namespace: SQS_NAMESPACE, metricName, dimensions: [{ name: 'QueueName', value: queueName }] },
      { timestamp, values: [value], unit },
    );
  }
}

export function queueNameOf(queueUrl: string): string {
  return new URL(queueUrl).pathname.split('/').filter(Boolean).pop() ?? queueUrl;
}
