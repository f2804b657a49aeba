/**
 * Every metric Tidewatch's own handlers emit: one typed list used both to emit them (handlers) and to
 * alarm on and graph them (lib/alarms, dashboards), so a name, unit or dimension cannot drift between
 * the two sides.
 */

/** The one CloudWatch namespace of every Tidewatch metric. */
export const METRICS_NAMESPACE = 'Tidewatch';

/** Dimension names. `service` is the handler's name, `queue` the work queue a worker consumes. */
export const DIMENSIONS = { service: 'service', stage: 'stage', queue: 'queue' } as const;
export type DimensionName = keyof typeof DIMENSIONS;

export interface MetricDefinition {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  /** `high`: stored at 1-second resolution, so an alarm with a 10-second period can page within seconds. */
  readonly resolution: 'standard' | 'high';
  /** The dimensions it is emitted with: API handlers `service` + `stage`; workers add `queue`. */
  readonly dimensions: readonly DimensionName[];
}

const API: readonly DimensionName[] = ['service', 'stage'];
const WORKER: readonly DimensionName[] = ['service', 'stage', 'queue'];

const count = (name: string, dimensions: readonly DimensionName[], resolution: 'standard' | 'high' = 'standard'): MetricDefinition => ({
  name,
  unit: 'Count',
  resolution,
  dimensions,
});

export const METRICS = {
  /** presign: a presigned upload URL was handed out. */
  uploadsPresigned: count('UploadsPresigned', API),
  /** submit-job: a job was accepted onto a job queue. */
  jobsSubmitted: count('JobsSubmitted', API),
  /** Any worker: a record failed on its final attempt and is moving to the dead-letter queue. */
  deadLettered: count('DeadLettered', WORKER, 'high'),
  /** Any worker: a record failed transiently and will be retried after a backoff. */
  recordRetried: count('RecordRetried', WORKER),
  /** Any worker: upload or submission to done, per item. */
  endToEndLatency: { name: 'EndToEndLatency', unit: 'Milliseconds', resolution: 'standard', dimensions: WORKER } satisfies MetricDefinition,
  filesProcessed: count('FilesProcessed', WORKER),
  filesDuplicate: count('FilesDuplicate', WORKER),
  filesRejected: count('FilesRejected', WORKER),
  jobsSucceeded: count('JobsSucceeded', WORKER),
  jobsFailed: count('JobsFailed', WORKER),
  /** redrive (`queue`: whose dead letters): sent back to the work queue, or archived to S3, and deleted from the DLQ. */
  redriveMessagesMoved: count('RedriveMessagesMoved', WORKER),
  /** redrive: dead letters that could not be sent back or archived (left in the DLQ), and canary items that failed. */
  redriveFailures: count('RedriveFailures', WORKER),
} as const satisfies Record<string, MetricDefinition>;

