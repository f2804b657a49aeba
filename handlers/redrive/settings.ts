/**
 * What the redrive function reads from its environment (names from the ENV contract), once, at cold
 * start: the work queues it serves with their dead-letter queues, its ledger, the status table and the
 * bucket archives go to.
 */
import * as z from 'zod';
import { ENV } from '../../contract/env';
import { WORK_QUEUE_NAME_PATTERN } from '../../contract/naming';
import { WORKERS, type WorkerName } from '../../contract/workers';
import { MissingEnvironmentError, requireEnv, requireJsonEnv } from '../shared/env';
import { describeIssues } from '../shared/errors';

/** A work queue as the redrive function knows it. */
export interface RedriveQueue {
  readonly name: string;
  /** The worker kind that runs it: how its messages name their items. */
  readonly worker: WorkerName;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

export interface RedriveSettings {
  /** By queue name, in the stack's order. */
  readonly queues: ReadonlyMap<string, RedriveQueue>;
  readonly ledgerTableName: string;
  readonly statusTableName: string;
  /** Where `archive` writes dead letters (under `dead-letters/`). */
  readonly bucket: string;
}

const QueueSchema = z.strictObject({
  worker: z.enum(Object.keys(WORKERS) as [WorkerName, ...WorkerName[]]),
  queueUrl: z.url(),
  queueArn: z.string().min(1),
  deadLetterQueueUrl: z.url(),
  deadLetterQueueArn: z.string().min(1),
});
const QueuesSchema = z.record(z.string().regex(WORK_QUEUE_NAME_PATTERN), QueueSchema).refine((queues) => Object.keys(queues).length > 0, 'names no queue');

export function readRedriveSettings(env: NodeJS.ProcessEnv = process.env): RedriveSettings {
  const parsed = QueuesSchema.safeParse(requireJsonEnv('redriveQueues', env));
  if (!parsed.success) throw new MissingEnvironmentError(`environment variable ${ENV.redriveQueues} is not a map of work queues: ${describeIssues(parsed.error.issues)}`);
  return {
    queues: new Map(Object.entries(parsed.data).map(([name, queue]) => [name, { name, ...queue }])),
    ledgerTableName: requireEnv('redriveLedgerTable', env),
    statusTableName: requireEnv('statusTable', env),
    bucket: requireEnv('bucket', env),
  };
}
