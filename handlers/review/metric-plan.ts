/**
 * Which CloudWatch series a review reads, as GetMetricData queries: per work queue and for the API,
 * each either per day (counts, burn-down, the DLQ at the end) or over the whole period (percentiles,
 * worst values, function totals). Two grains because a weekly percentile cannot be rebuilt from daily
 * ones. Every query's Id names its subject and measure, so answers map back without labels.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE, type MetricDefinition } from '../../contract/metrics';
import type { ReviewedWorkQueue, ReviewSources } from '../../contract/review';
import { WORKERS } from '../../contract/workers';

export type Grain = 'daily' | 'whole';

export interface PlannedSeries {
  readonly id: string;
  /** A work queue's name, or `api`. */
  readonly subject: string;
  readonly measure: Measure;
  readonly grain: Grain;
  readonly query: MetricDataQuery;
  /** What the report says when the series has no data at all. */
  readonly description: string;
}

export type Measure =
  | 'in'
  | 'processed'
  | 'duplicates'
  | 'failed'
  | 'deadLettered'
  | 'dlqDepth'
  | 'dlqAge'
  | 'latencyP50'
  | 'latencyP99'
  | 'latencyWithin'
  | 'latencyCount'
  | 'ageP99'
  | 'ageWorst'
  | 'invocations'
  | 'errors'
  | 'throttles'
  | 'durationP99'
  | 'coldStarts'
  | 'requests'
  | 'clientErrors'
  | 'serverErrors'
  | 'apiLatencyP99';

/** Powertools' cold-start metric: `ColdStart`, with the function's name beside the default dimensions. */
const COLD_START_METRIC = 'ColdStart';
const DAY_SECONDS = 86_400;

type Dimensions = Readonly<Record<string, string>>;

interface SeriesSpec {
  readonly measure: Measure;
  readonly grain: Grain;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
  readonly stat: string;
}

/** The series of one work queue. */
function workQueueSeries(queue: ReviewedWorkQueue, sources: ReviewSources): SeriesSpec[] {
  const worker = WORKERS[queue.worker];
  const emitted = { [DIMENSIONS.service]: queue.worker, [DIMENSIONS.stage]: sources.stage, [DIMENSIONS.queue]: queue.name };
  const own = (measure: Measure, grain: Grain, definition: MetricDefinition, stat: string): SeriesSpec => ({
    measure,
    grain,
    namespace: METRICS_NAMESPACE,
    metricName: definition.name,
    dimensions: emitted,
    stat,
  });
  const sqs = (measure: Measure, grain: Grain, metricName: string, queueName: string, stat: string): SeriesSpec => ({
    measure,
    grain,
    namespace: 'AWS/SQS',
    metricName,
    dimensions: { QueueName: queueName },
    stat,
  });
  const lambda = (measure: Measure, metricName: string, stat: string): SeriesSpec => ({
    measure,
    grain: 'whole',
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: { FunctionName: queue.workerFunctionName },
    stat,
  });
  const boundMs = sources.freshnessSloSeconds * 1000;
  const emitsDuplicates = (worker.emits as readonly MetricDefinition[]).includes(METRICS.filesDuplicate);
  return [
    sqs('in', 'daily', 'NumberOfMessagesSent', queue.queueName, 'Sum'),
    own('processed', 'daily', worker.succeeded, 'Sum'),
    ...(emitsDuplicates ? [own('duplicates', 'daily', METRICS.filesDuplicate, 'Sum')] : []),
    own('failed', 'daily', worker.failed, 'Sum'),
    own('deadLettered', 'daily', METRICS.deadLettered, 'Sum'),
    sqs('dlqDepth', 'daily', 'ApproximateNumberOfMessagesVisible', queue.deadLetterQueueName, 'Maximum'),
    sqs('dlqAge', 'daily', 'ApproximateAgeOfOldestMessage', queue.deadLetterQueueName, 'Maximum'),
    own('latencyP50', 'whole', METRICS.endToEndLatency, 'p50'),
    own('latencyP99', 'whole', METRICS.endToEndLatency, 'p99'),
    own('latencyWithin', 'whole', METRICS.endToEndLatency, `PR(:${boundMs})`),
    own('latencyCount', 'whole', METRICS.endToEndLatency, 'SampleCount'),
    sqs('ageP99', 'whole', 'ApproximateAgeOfOldestMessage', queue.queueName, 'p99'),
    sqs('ageWorst', 'whole', 'ApproximateAgeOfOldestMessage', queue.queueName, 'Maximum'),
    lambda('invocations', 'Invocations', 'Sum'),
    lambda('errors', 'Errors', 'Sum'),
    lambda('throttles', 'Throttles', 'Sum'),
    lambda('durationP99', 'Duration', 'p99'),
    {
      measure: 'coldStarts',
      grain: 'whole',
      namespace: METRICS_NAMESPACE,
      metricName: COLD_START_METRIC,
      dimensions: { ...emitted, function_name: queue.workerFunctionName },
      stat: 'Sum',
    },
  ];
}

function apiSeries(apiId: string): SeriesSpec[] {
  const api = (measure: Measure, metricName: string, stat: string): SeriesSpec => ({
    measure,
    grain: 'whole',
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensions: { ApiId: apiId },
    stat,
  });
  return [api('requests', 'Count', 'Sum'), api('clientErrors', '4xx', 'Sum'), api('serverErrors', '5xx', 'Sum'), api('apiLatencyP99', 'Latency', 'p99')];
}

/** Every series of a review, with the period length (seconds) the whole-period grain uses. */
export function planSeries(sources: ReviewSources, periodSeconds: number): PlannedSeries[] {
  const subjects: Array<[string, SeriesSpec[]]> = [
    ...sources.workQueues.map((queue): [string, SeriesSpec[]] => [queue.name, workQueueSeries(queue, sources)]),
    ['api', apiSeries(sources.apiId)],
  ];
  return subjects.flatMap(([subject, specs], index) =>
    specs.map((spec) => {
      const id = `s${index}_${spec.measure}`;
      return {
        id,
        subject,
        measure: spec.measure,
        grain: spec.grain,
        description: `${spec.namespace} ${spec.metricName} (${Object.values(spec.dimensions).join(', ')}) ${spec.stat}`,
        query: {
          Id: id,
          Label: id,
          MetricStat: {
            Metric: { Namespace: spec.namespace, MetricName: spec.metricName, Dimensions: Object.entries(spec.dimensions).map(([Name, Value]) => ({ Name, Value })) },
            Period: spec.grain === 'daily' ? DAY_SECONDS : wholePeriodSeconds(periodSeconds),
            Stat: spec.stat,
          },
        },
      };
    }),
  );
}

/** CloudWatch periods over a minute are whole minutes. */
function wholePeriodSeconds(seconds: number): number {
  return Math.ceil(seconds / 60) * 60;
}
