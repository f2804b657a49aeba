/**
 * Every alarm on a Tidewatch metric watches a metric a handler really emits: the real file and job
 * workers run (with aws-sdk-client-mock'd clients and their environment taken from the synthesized
 * template) through a success and a death on the final attempt; their EMF output is collected and each
 * Tidewatch metric stat of every alarm (burn-rate windows included) must be found there with the same
 * namespace, name and dimensions, high resolution where the alarm's period is under a minute.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBucket, fakeIdempotencyTable, fakeStatusTable } from '../support/handlers/file-worker-fakes';
import { s3Event, TEST_BUCKET } from '../support/handlers/s3-notifications';
import { METRICS_NAMESPACE } from '../../contract/metrics';
import { captureOutput, POWERTOOLS_TEST_ENV, type EmfDocument } from '../support/handlers/powertools-output';
import { lambdaContext, sqsRecord } from '../support/handlers/lambda-events';
import type { WorkQueue } from '../../lib/work-queue';
import { references, synthesize } from '../stack/synth';
import { metricStats, templateAlarms, type TemplateMetricStat } from './template';

const synth = synthesize({ stage: 'emf1' });
afterAll(() => synth.dispose());
const { stack, json } = synth;
const { id } = references(stack);

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Sets the worker's environment as the template defines it (deploy-time references become placeholders;
 * the bucket is the one the test events name) and imports its real handler.
 */
async function importWorker(queue: WorkQueue, entry: string): Promise<Handler> {
  const variables = json.Resources[id(queue.worker)].Properties.Environment.Variables as Record<string, unknown>;
  const environment = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : name === 'BUCKET_NAME' ? TEST_BUCKET : `${name.toLowerCase()}-from-template`]),
  );
  Object.assign(process.env, POWERTOOLS_TEST_ENV, environment);
  return ((await import(entry)) as { handler: Handler }).handler;
}

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const dynamodb = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);

/** One emitted metric: namespace, name and dimension values, and its storage resolution. */
interface Emitted {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
  readonly highResolution: boolean;
}

function emittedMetrics(documents: readonly EmfDocument[]): Emitted[] {
  return documents.flatMap((document) =>
    document._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Dimensions.flatMap((dimensionSet) =>
        directive.Metrics.map((metric) => ({
          namespace: directive.Namespace,
          metricName: metric.Name,
          dimensions: Object.fromEntries(dimensionSet.map((name) => [name, document[name]])),
          highResolution: metric.StorageResolution === 1,
        })),
      ),
    ),
  );
}

let emitted: Emitted[] = [];

/** The same dimension names with the same values, in whatever order EMF or the template lists them. */
function sameDimensions(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const sorted = (dimensions: Record<string, unknown>) => JSON.stringify(Object.entries(dimensions).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}

beforeAll(async () => {
  const output = captureOutput();
  const objects = fakeBucket(s3);
  fakeIdempotencyTable(dynamodb);
  fakeStatusTable(documents);
  sqs.on(ChangeMessageVisibilityCommand).resolves({});

  const fileWorker = await importWorker(stack.workQueues.files!, '../../handlers/file-worker/index');
  const upload = (content: string) => {
    const fileId = randomUUID();
    const key = `uploads/${fileId}/orders.csv`;
    objects.set(key, Buffer.from(content));
    return {
      key,
      event: s3Event({ encodedKey: key, size: content.length, eTag: createHash('md5').update(content).digest('hex'), versionId: `v-${fileId}`, eventTime: new Date(Date.now() - 2000).toISOString() }),
    };
  };
  const processed = upload('id,amount\n1,9.50\n2,3.25\n');
  await fileWorker({ Records: [sqsRecord(JSON.stringify(processed.event))] }, lambdaContext('file-worker'));
  // A transient failure (S3 throttling) on the final receive: the record dies.
  const dying = upload('id,amount\n3,1.00\n');
  s3.on(GetObjectCommand, { Key: dying.key }).rejects(
    new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }),
  );
  const fileDeaths = await fileWorker({ Records: [sqsRecord(JSON.stringify(dying.event), { receiveCount: stack.workQueues.files!.maxReceiveCount })] }, lambdaContext('file-worker'));
  expect(fileDeaths.batchItemFailures).toHaveLength(1);

  const jobWorker = await importWorker(stack.workQueues.jobs!, '../../handlers/job-worker/index');
  const job = (overrides: object) => JSON.stringify({ jobId: randomUUID(), task: 'echo', payload: {}, submittedAt: new Date(Date.now() - 1000).toISOString(), ...overrides });
  await jobWorker({ Records: [sqsRecord(job({}))] }, lambdaContext('job-worker'));
  const jobDeaths = await jobWorker({ Records: [sqsRecord(job({ fail: true }), { receiveCount: stack.workQueues.jobs!.maxReceiveCount })] }, lambdaContext('job-worker'));
  expect(jobDeaths.batchItemFailures).toHaveLength(1);

  emitted = emittedMetrics(output.emf());
  vi.restoreAllMocks();
});

const alarmedTidewatchStats: Array<{ alarm: string } & TemplateMetricStat> = [...templateAlarms(json).values()]
  .filter((alarm) => alarm.type === 'AWS::CloudWatch::Alarm')
  .flatMap((alarm) => metricStats(alarm.props).map((stat) => ({ alarm: alarm.name, ...stat })))
  .filter((stat) => stat.namespace === METRICS_NAMESPACE);

describe('alarms on Tidewatch metrics', () => {
  it('exist for dead letters, successes and latency of both workers', () => {
    const watched = new Set(alarmedTidewatchStats.map((s) => `${s.metricName} ${JSON.stringify(s.dimensions)}`));
    expect([...watched].sort()).toEqual(
      [
        'DeadLettered {"queue":"files","service":"file-worker","stage":"emf1"}',
        'DeadLettered {"queue":"jobs","service":"job-worker","stage":"emf1"}',
        'EndToEndLatency {"queue":"files","service":"file-worker","stage":"emf1"}',
        'EndToEndLatency {"queue":"jobs","service":"job-worker","stage":"emf1"}',
        'FilesProcessed {"queue":"files","service":"file-worker","stage":"emf1"}',
        'JobsSucceeded {"queue":"jobs","service":"job-worker","stage":"emf1"}',
      ].sort(),
    );
  });

  it.each(alarmedTidewatchStats.map((stat) => [`${stat.alarm}: ${stat.metricName} ${JSON.stringify(stat.dimensions)}`, stat] as const))(
    '%s is emitted by a handler with the same namespace, name and dimensions',
    (_name, stat) => {
      const matches = emitted.filter(
        (metric) => metric.namespace === stat.namespace && metric.metricName === stat.metricName && sameDimensions(metric.dimensions, stat.dimensions),
      );
      expect(matches.length, `emitted: ${JSON.stringify(emitted.map((m) => `${m.metricName} ${JSON.stringify(m.dimensions)}`))}`).toBeGreaterThan(0);
      // A 10-second alarm only sees 10-second datapoints when the metric is stored at high resolution.
      if (stat.period < 60) expect(matches.every((metric) => metric.highResolution)).toBe(true);
    },
  );
});
