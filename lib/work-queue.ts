/**
 * A work queue: the queue, its dead-letter queue, the worker function and the SQS event source that
 * feeds it with partial batch responses. Used once for files and once for jobs; the alarm and
 * dashboard issues hang their widgets and alarms on the parts exposed here.
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

export interface WorkQueueProps {
  /** The worker's folder under `handlers/`, e.g. `file-worker`. */
  readonly workerName: string;
  /** Batch, concurrency, timeout and memory of this queue's worker. */
  readonly settings: WorkQueueSettings;
  /** Stage, log level, DLQ and retry settings shared by every queue. */
  readonly config: Pick<
    TidewatchConfig,
    'stage' | 'logLevel' | 'maxReceiveCount' | 'deadLetterRetentionDays' | 'retryBackoffBaseSeconds'
  >;
  /** The worker's variables beyond the queue's own (QUEUE_URL, MAX_RECEIVE_COUNT, RETRY_BACKOFF_BASE_SECONDS). */
  readonly environment: Record<string, string>;
}

export class WorkQueue extends Construct {
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
      name: props.workerName,
      config,
      timeout: this.workerTimeout,
      memorySize: settings.workerMemoryMiB,
      environment: {
        ...props.environment,
        [ENV.queueUrl]: this.queue.queueUrl,
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
