/**
 * A work queue, the extension unit of Tidewatch: the queue, its dead-letter queue, the worker function
 * and the SQS event source that feeds it with partial batch responses. The stack makes one per entry
 * of `workQueues`; alarms, dashboard rows and outputs hang on the parts exposed here.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../contract/env';
import type { TidewatchConfig, WorkQueueSettings } from './config';
import { InstrumentedFunction } from './instrumented-function';

/** SQS asks for a visibility timeout of at least 6 × the function timeout for Lambda event sources. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Days a message waits in a work queue before SQS drops it (unless the DLQ keeps dead letters shorter). */
export const QUEUE_RETENTION_DAYS = 4;

/** Seconds in a day: the idempotency record lives as long as a dead letter can. */
const DAY_SECONDS = 86_400;

export interface WorkQueueProps {
  /** The queue's name (`files`, `reports`): its metrics' `queue` dimension and its items' `queue`. */
  readonly name: string;
  /** The worker kind that runs it, batch, concurrency, timeout and memory. */
  readonly settings: WorkQueueSettings;
  /** Stage, log level, DLQ and retry settings shared by every queue. */
  readonly config: Pick<
    TidewatchConfig,
    'stage' | 'logLevel' | 'maxReceiveCount' | 'deadLetterRetentionDays' | 'retryBackoffBaseSeconds'
  >;
  /** The worker's variables beyond the queue's own (its name, URL, receive count, backoff and idempotency TTL). */
  readonly environment: Record<string, string>;
}

export class WorkQueue extends Construct {
  readonly name: string;
  readonly settings: WorkQueueSettings;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: lambda.Function;
  /** The worker with its role and log group. */
  readonly instrumentedWorker: InstrumentedFunction;
  readonly workerTimeout: Duration;
  /** Receives before a message moves to the DLQ. */
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { settings, config } = props;
    this.name = props.name;
    this.settings = settings;
    this.workerTimeout = Duration.seconds(settings.workerTimeoutSeconds);
    this.maxReceiveCount = config.maxReceiveCount;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(config.deadLetterRetentionDays),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(settings.workerTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
      // SQS's default 4 days, capped at the DLQ's retention: a moved message keeps its original
      // enqueue time, so a dead letter must be kept at least as long as the queue keeps messages.
      retentionPeriod: Duration.days(Math.min(QUEUE_RETENTION_DAYS, config.deadLetterRetentionDays)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: config.maxReceiveCount },
    });

    this.instrumentedWorker = new InstrumentedFunction(this, 'Worker', {
      name: settings.worker,
      config,
      timeout: this.workerTimeout,
      memorySize: settings.workerMemoryMiB,
      environment: {
        ...props.environment,
        [ENV.workQueue]: props.name,
        [ENV.queueUrl]: this.queue.queueUrl,
        [ENV.idempotencyTtlSeconds]: String(config.deadLetterRetentionDays * DAY_SECONDS),
        [ENV.maxReceiveCount]: String(config.maxReceiveCount),
        [ENV.retryBackoffBaseSeconds]: String(config.retryBackoffBaseSeconds),
      },
    });
    this.worker = this.instrumentedWorker.function;

    // Grants the worker ReceiveMessage, DeleteMessage, GetQueueAttributes and ChangeMessageVisibility
    // (the retry backoff) on this queue only.
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: settings.batchSize,
        maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
        maxConcurrency: settings.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
}
