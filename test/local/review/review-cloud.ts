/**
 * The local cloud for the weekly review's test, and how the known history gets into it. The local
 * CloudWatch's clock is driven and starts weeks back: CloudWatch accepts datapoints at most two weeks
 * old, and alarm history is written as alarms change, so each week is lived through in minutes. The
 * history ends after real time, where fauxqs timestamps its messages, so a dead letter's age is the
 * time the test lets pass. Metrics go in the ways they do in the cloud: PutMetricData for Tidewatch's
 * own, the local CloudWatch's Lambda, API Gateway and SQS feeds for the AWS ones; alarms change by
 * SetAlarmState and are cleared by their next evaluation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, SetAlarmStateCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../contract/env';
import { METRICS, METRICS_NAMESPACE } from '../../../contract/metrics';
import type { ReviewSources } from '../../../contract/review';
import { WORKERS } from '../../../contract/workers';
import type { ReviewAnswer } from '../../../handlers/review/request';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { DrivenClock } from '../../support/driven-clock';
import { eventually } from '../../support/eventually';
import { DAY_MS, LAST_MINUTE, MINUTE_MS, TRAFFIC_MINUTE, WORK_QUEUES, type WeekHistory } from './review-history';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** PutMetricData takes at most 1,000 datums a call. */
const PUT_BATCH = 1000;
/** The team's time zone in this test: night in Tokyo is not night in UTC. */
export const TIME_ZONE = 'Asia/Tokyo';

export interface ReviewCloud {
  readonly cloud: LocalCloud;
  readonly clock: DrivenClock;
  readonly sources: ReviewSources;
  readonly outputs: Readonly<Record<string, string>>;
  readonly s3: S3Client;
  /**
   * Real time of the file worker's first invocation (S3's test event): its Powertools ColdStart metric
   * carries that real timestamp, so it counts in the week the history has there.
   */
  readonly fileWorkerColdStartAt: number;
  /** Real time (epoch ms) around the dead letter's send: fauxqs stamps it in between. */
  readonly deadLetterSent: { before: number; after: number } | undefined;
  alarmName(id: string): string;
  /** Lives through one week from its Monday: traffic, alarms, the dead letter; then writes its metrics. */
  liveThrough(weekStart: number, week: WeekHistory): Promise<void>;
  /** Moves the clock to `at` (whole minutes) and runs the review's schedule as EventBridge would. */
  runSchedule(at: number): Promise<ReviewAnswer>;
  /** The summaries published to the reports topic so far, as a subscriber receives them. */
  summaries(): Promise<Array<{ subject: string; message: string }>>;
  stop(): Promise<void>;
}

/**
 * Starts the cloud with its CloudWatch clock an hour before `historyStart` (before real time), and lets
 * every alarm settle from INSUFFICIENT_DATA before the history begins, as on a stack deployed earlier.
 * Moving a paused clock back is safe before the cloud starts: nothing is scheduled on it yet.
 */
export async function startReviewCloud(historyStart: number): Promise<ReviewCloud> {
  const clockStart = historyStart - 60 * MINUTE_MS;
  const template = await synthesizeTemplate({ context: { reviewTimeZone: TIME_ZONE }, projectRoot: PROJECT_ROOT });
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-review-'));
  const clock = new DrivenClock({ paused: true });
  await clock.advance(clockStart - clock.now());
  const cloud = await startLocalCloud({ template, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, pollWaitSeconds: 2, cloudWatchClock: clock });
  const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
  const cloudWatch = new CloudWatchClient(common);
  const sqs = new SQSClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const lambda = new LambdaClient(common);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  const reviewFunction = cloud.services.functions.find((fn) => fn.name === cloud.outputs.ReviewFunctionName)!;
  const sources = JSON.parse(reviewFunction.environment[ENV.reviewSources]!) as ReviewSources;
  const inbox = await subscribeQueue(sqs, new SNSClient(common), cloud.outputs.ReportsTopicArn!);
  const alarmName = (id: string) => `${cloud.stackName}-${id}`;
  let deadLetterSent: { before: number; after: number } | undefined;

  /** Every alarm is evaluated at `time` (a whole minute): 10 s before it, then at it, as the ticker does. */
  const driveTo = async (time: number) => {
    await clock.advance(time - 10_000 - clock.now());
    await clock.advance(10_000);
  };

  const fileWorkerColdStartAt = await settled(cloud, sqs);
  await driveTo(historyStart - 30 * MINUTE_MS);

  const writeMetrics = async (weekStart: number, week: WeekHistory) => {
    const data: MetricDatum[] = [];
    for (const queue of sources.workQueues) {
      const name = queue.name as (typeof WORK_QUEUES)[number];
      const worker = WORKERS[queue.worker];
      const dimensions = [
        { Name: 'service', Value: queue.worker },
        { Name: 'stage', Value: sources.stage },
        { Name: 'queue', Value: queue.name },
      ];
      const datum = (metricName: string, timestamp: number, value: number): MetricDatum => ({ MetricName: metricName, Dimensions: dimensions, Timestamp: new Date(timestamp), Value: value, Unit: 'Count' });
      week.queues[name].forEach((day, index) => {
        const time = weekStart + index * DAY_MS + TRAFFIC_MINUTE * MINUTE_MS;
        data.push(datum(worker.succeeded.name, time, day.processed), datum(METRICS.deadLettered.name, time, day.deadLettered));
        // JobsFailed counts dead letters too; FilesRejected only the refused.
        data.push(datum(worker.failed.name, time, day.refused + (worker.failedCountsDeadLetters ? day.deadLettered : 0)));
        if (queue.worker === 'file-worker') data.push(datum(METRICS.filesDuplicate.name, time, day.duplicates));
        if (day.latencies) data.push({ MetricName: METRICS.endToEndLatency.name, Dimensions: dimensions, Timestamp: new Date(time), Values: [...day.latencies], Unit: 'Milliseconds' });
      });
      if (week.coldStarts[name] > 0) {
        data.push({ MetricName: 'ColdStart', Dimensions: [...dimensions, { Name: 'function_name', Value: queue.workerFunctionName }], Timestamp: new Date(weekStart + TRAFFIC_MINUTE * MINUTE_MS), Value: week.coldStarts[name], Unit: 'Count' });
      }
      for (const invocation of week.invocations[name]) {
        cloud.cloudWatch.recordInvocation({ functionName: queue.workerFunctionName, durationMs: invocation.throttled ? undefined : invocation.durationMs, error: invocation.error, throttled: invocation.throttled, timestamp: weekStart + invocation.day * DAY_MS + TRAFFIC_MINUTE * MINUTE_MS });
      }
    }
    for (let i = 0; i < data.length; i += PUT_BATCH) await cloudWatch.send(new PutMetricDataCommand({ Namespace: METRICS_NAMESPACE, MetricData: data.slice(i, i + PUT_BATCH) }));
    for (const request of week.api) {
      cloud.cloudWatch.recordApiRequest({ apiId: sources.apiId, stage: '$default', status: request.status, latencyMs: request.latencyMs, timestamp: weekStart + request.day * DAY_MS + TRAFFIC_MINUTE * MINUTE_MS });
    }
    const items = week.failures.map((failure, i) => {
      const time = new Date(weekStart + failure.day * DAY_MS + TRAFFIC_MINUTE * MINUTE_MS + i * 1000).toISOString();
      return {
        PutRequest: {
          Item: { id: `review-${weekStart}-${i}`, kind: failure.queue === 'files' ? 'file' : 'job', queue: failure.queue, status: 'FAILED', lastError: { class: failure.errorClass, message: failure.message, permanent: false }, createdAt: time, updatedAt: time },
        },
      };
    });
    for (let i = 0; i < items.length; i += 25) await documents.send(new BatchWriteCommand({ RequestItems: { [cloud.outputs.StatusTableName!]: items.slice(i, i + 25) } }));
  };

  return {
    cloud,
    clock,
    sources,
    outputs: cloud.outputs,
    s3,
    fileWorkerColdStartAt,
    get deadLetterSent() {
      return deadLetterSent;
    },
    alarmName,
    async liveThrough(weekStart, week) {
      const minutes = new Set<number>([LAST_MINUTE, ...week.episodes.flatMap((episode) => [episode.from, episode.to])]);
      if (week.queues.jobs.length > 0) for (let day = 0; day < 7; day += 1) minutes.add(day * 24 * 60 + TRAFFIC_MINUTE);
      if (week.deadLetterAt !== undefined) minutes.add(week.deadLetterAt).add(week.deadLetterAt + 1);
      for (const minute of [...minutes].sort((a, b) => a - b)) {
        await driveTo(weekStart + minute * MINUTE_MS);
        const day = Math.floor(minute / (24 * 60));
        if (minute % (24 * 60) === TRAFFIC_MINUTE) {
          for (const queue of sources.workQueues) {
            const today = week.queues[queue.name as (typeof WORK_QUEUES)[number]][day];
            // SQS counts what was sent to the queue: every item, processed or not.
            if (today) cloud.cloudWatch.recordSqsAction(queue.queueName, 'SendMessageBatch', today.processed + today.deadLettered + today.refused + today.duplicates);
          }
        }
        for (const episode of week.episodes.filter((candidate) => candidate.from === minute)) {
          await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarmName(episode.alarmId), StateValue: 'ALARM', StateReason: 'review test: a known episode' }));
        }
        if (minute === week.deadLetterAt) {
          const before = Date.now();
          await sqs.send(new SendMessageCommand({ QueueUrl: cloud.outputs.JobsDeadLetterQueueUrl!, MessageBody: JSON.stringify({ jobId: 'review-dead-letter', task: 'echo', fail: true }) }));
          deadLetterSent = { before, after: Date.now() };
        }
      }
      await writeMetrics(weekStart, week);
    },
    async runSchedule(time) {
      await driveTo(time);
      const event = { version: '0', id: `review-${time}`, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: cloud.services.region, resources: [], detail: {} };
      const result = await lambda.send(new InvokeCommand({ FunctionName: cloud.outputs.ReviewFunctionName, Payload: Buffer.from(JSON.stringify(event)) }));
      const payload = Buffer.from(result.Payload ?? []).toString('utf8');
      if (result.FunctionError) throw new Error(`the review function failed: ${payload}`);
      return JSON.parse(payload) as ReviewAnswer;
    },
    summaries: () => inbox.receive(),
    async stop() {
      await cloud.stop();
      for (const client of [cloudWatch, sqs, s3, lambda, documents]) client.destroy();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * Waits for what the cloud does on its own at start to be over: S3's test event, sent when the
 * bucket's notifications are set up, is processed by the file worker, whose invocation would otherwise
 * land in whichever week the driven clock had reached by then.
 */
async function settled(cloud: LocalCloud, sqs: SQSClient): Promise<number> {
  const filesWorker = cloud.services.functions.find((fn) => fn.environment[ENV.workQueue] === 'files')!.name;
  let firstLineAt: number | undefined;
  cloud.runtime.onLine((functionName) => {
    if (functionName === filesWorker) firstLineAt ??= Date.now();
  });
  await eventually(
    async () => {
      if (firstLineAt === undefined) return undefined;
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: cloud.outputs.FilesQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible) === 0 ? true : undefined;
    },
    "S3's test event processed by the file worker",
    // A first invocation bundles the worker: tens of seconds on a loaded machine.
    120_000,
    200,
  );
  return firstLineAt!;
}

/** A queue subscribed to a topic through the real SNS API; reads each notification's subject and message. */
async function subscribeQueue(sqs: SQSClient, sns: SNSClient, topicArn: string) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'review-reports-inbox' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  sns.destroy();
  const received: Array<{ subject: string; message: string }> = [];
  return {
    async receive() {
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        if (Messages.length === 0) return received;
        for (const message of Messages) {
          const envelope = JSON.parse(message.Body ?? '{}') as { Subject?: string; Message?: string };
          received.push({ subject: envelope.Subject ?? '', message: envelope.Message ?? '' });
        }
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      }
    },
  };
}
