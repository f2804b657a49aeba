/**
 * The stack's work queues (named by its `WorkQueueNames` output) with their dead-letter queues, and the
 * queue a command is given. What SQS says of a queue is in queue-depth.ts, what CloudWatch says in
 * oldest-message-age.ts: a command that only names queues loads neither client.
 */
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
