/**
 * The stack's work queues (named by its `WorkQueueNames` output) with their dead-letter queues, and what
 * SQS and CloudWatch say about them: depth from GetQueueAttributes, age of the oldest message from the
 * AWS/SQS metric (SQS offers no attribute for it).
 */
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { WORK_QUEUE_NAME_PATTERN } from '../contract/naming';
import { deadLetterQueueUrlOutputKey, parseWorkQueueNames, queueUrlOutputKey } from '../contract/outputs';
import { UsageError } from './errors';
import type { StackOutputs } from './stack-outputs';

export interface WorkQueue {
  readonly name: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** The stack's work queue names, in its configuration order. */
export function workQueueNames(outputs: StackOutputs): string[] {
  return parseWorkQueueNames(outputs.require('WorkQueueNames'));
}

export function workQueue(outputs: StackOutputs, name: string): WorkQueue {
  return { name, queueUrl: outputs.require(queueUrlOutputKey(name)), deadLetterQueueUrl: outputs.require(deadLetterQueueUrlOutputKey(name)) };
}

/** The queue argument, checked before anything is asked of AWS: at most one (exactly one when `required`), shaped like a work queue's name. */
export function queueArgument(args: readonly string[], commandPath: string, required = false): string | undefined {
  if (args.length > 1) throw new UsageError(`expected at most one queue, got: ${args.join(' ')}`, commandPath);
  const [name] = args;
  if (name === undefined && required) throw new UsageError('which queue? name one of the stack\'s work queues', commandPath);
  if (name !== undefined && !WORK_QUEUE_NAME_PATTERN.test(name)) throw new UsageError(`${JSON.stringify(name)} is not a work queue's name (one lowercase word)`, commandPath);
  return name;
}

/** The named queue, or every queue of the stack; an unknown name is a usage error listing the known ones. */
export function selectedQueues(name: string | undefined, known: readonly string[], commandPath: string): readonly string[] {
  if (name === undefined) return known;
  if (!known.includes(name)) throw new UsageError(`unknown queue ${JSON.stringify(name)}: the stack's work queues are ${known.join(', ')}`, commandPath);
  return [name];
}

export interface QueueDepth {
  /** Waiting to be received (ApproximateNumberOfMessages). */
  readonly visible: number;
  /** Received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/** A queue's name: the last path segment of its URL (the `QueueName` dimension of AWS/SQS). */
export function queueNameOf(queueUrl: string): string {
  return new URL(queueUrl).pathname.split('/').filter(Boolean).at(-1) ?? queueUrl;
}

/** SQS publishes its metrics every minute, sometimes minutes late: older datapoints count as unknown. */
const AGE_LOOKBACK_MS = 15 * 60 * 1000;

/** The latest `ApproximateAgeOfOldestMessage` (seconds) of each queue within the lookback, by queue URL; absent when unknown. */
export async function oldestMessageAges(cloudWatch: CloudWatchClient, queueUrls: readonly string[], now: Date): Promise<Map<string, number>> {
  const { MetricDataResults: results = [] } = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - AGE_LOOKBACK_MS),
      EndTime: now,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: queueUrls.map((queueUrl, index) => ({
        Id: `age${index}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: queueNameOf(queueUrl) }] },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  const ages = new Map<string, number>();
  queueUrls.forEach((queueUrl, index) => {
    // Newest first (ScanBy): the first value is the latest minute's.
    const [seconds] = results.find((result) => result.Id === `age${index}`)?.Values ?? [];
    if (seconds !== undefined) ages.set(queueUrl, seconds);
  });
  return ages;
}
