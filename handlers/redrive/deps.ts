/** What the redrive function's actions and chunks work with: its queues, ledger, lease and AWS calls. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricDefinition } from '../../contract/metrics';
import type { StatusItem } from '../../contract/status-item';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { QueueLease } from './lease';
import type { Ledger } from './ledger';
import type { MoveTasks } from './move-task';
import type { ContinueEvent } from './request';
import type { RedriveQueue } from './settings';
import type { Sink } from './sink';

export interface RedriveDeps {
  readonly queues: ReadonlyMap<string, RedriveQueue>;
  readonly ledger: Ledger;
  readonly lease: QueueLease;
  readonly moveTasks: MoveTasks;
  dlq(queue: RedriveQueue): DeadLetterQueue;
  /** The status items of these ids, by id. */
  statusItems(ids: readonly string[]): Promise<ReadonlyMap<string, StatusItem>>;
  /** Back to the queue's work queue, or to the archive. */
  sink(kind: 'redrive' | 'archive', queue: RedriveQueue, runId: string): Sink;
  /** Runs the next chunk of a run in a new invocation of this function (an Event invocation). */
  continueRun(event: ContinueEvent): Promise<void>;
  /** Emits one of the contract's metrics with the queue as its `queue` dimension. */
  count(queue: string, metric: MetricDefinition, value: number): void;
  readonly logger: Logger;
}
