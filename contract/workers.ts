/**
 * The worker kinds a work queue can be run by: each is a handler folder (`handlers/<name>/`) built on
 * the shared SQS worker skeleton. A work queue names one of these; everything per queue (alarms,
 * dashboard row, runbooks' variables, the CLI) reads what a kind emits from here.
 */
import type { ItemKind } from './status-item';
import { METRICS, type MetricDefinition } from './metrics';

export interface WorkerDefinition {
  /** What one item is: a status item's `kind`, and the word used in alarm texts. */
  readonly itemKind: ItemKind;
  /** Counts items done: the "good" side of the success SLO. */
  readonly succeeded: MetricDefinition;
  /** Counts items that ended FAILED: every rejected one, and dead-lettered ones too where `failedCountsDeadLetters`. */
  readonly failed: MetricDefinition;
  /**
   * Whether `failed` counts dead letters too (`JobsFailed`) or rejections only (`FilesRejected`, as its
   * name says). Dead letters are always counted by `DeadLettered` as well.
   */
  readonly failedCountsDeadLetters: boolean;
  /** Every metric the worker emits, the skeleton's own included. */
  readonly emits: readonly MetricDefinition[];
}

/** What the shared SQS worker skeleton emits for every worker kind. */
const SKELETON_METRICS = [METRICS.deadLettered, METRICS.recordRetried, METRICS.endToEndLatency] as const;

export const WORKERS = {
  'file-worker': {
    itemKind: 'file',
    succeeded: METRICS.filesProcessed,
    failed: METRICS.filesRejected,
    failedCountsDeadLetters: false,
    emits: [...SKELETON_METRICS, METRICS.filesProcessed, METRICS.filesDuplicate, METRICS.filesRejected],
  },
  'job-worker': {
    itemKind: 'job',
    succeeded: METRICS.jobsSucceeded,
    failed: METRICS.jobsFailed,
    failedCountsDeadLetters: true,
    emits: [...SKELETON_METRICS, METRICS.jobsSucceeded, METRICS.jobsFailed],
  },
} as const satisfies Record<string, WorkerDefinition>;

export type WorkerName = keyof typeof WORKERS;

export function isWorkerName(name: string): name is WorkerName {
  return Object.hasOwn(WORKERS, name);
}
