/**
 * `--keep`: everything the local cloud holds survives a stop and start under the state directory
 * (queued messages with their receive counts, dead letters, S3 objects, DynamoDB items, the local
 * CloudWatch's metrics, alarm states and history); without it every start is fresh.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import type { SynthesizedStack } from '../../../local/template/model';
import { DrivenClock } from '../../support/driven-clock';
import { eventually } from '../../support/eventually';
import { TEST_CREDENTIALS } from './harness';

const ALARM_NAME = 'keep-breaches';
const MAX_RECEIVE_COUNT = 2;

const STACK: SynthesizedStack = {
  stackName: 'Keep-local',
  template: {
    Resources: {
      Status: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'keep-status',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        },
      },
      Dead: { Type: 'AWS::SQS::Queue', Properties: {} },
      Work: {
        Type: 'AWS::SQS::Queue',
        Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dead', 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT } },
      },
      Files: { Type: 'AWS::S3::Bucket', Properties: {} },
      Breaches: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: ALARM_NAME,
          Namespace: 'Keep',
          MetricName: 'Breaches',
          Statistic: 'Maximum',
          Period: 60,
          // One breaching minute among the last five: the datapoint stays in the window across a restart.
          EvaluationPeriods: 5,
          DatapointsToAlarm: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      },
    },
    Outputs: {
      WorkQueueUrl: { Value: { Ref: 'Work' } },
      DeadQueueUrl: { Value: { Ref: 'Dead' } },
      BucketName: { Value: { Ref: 'Files' } },
    },
  },
};

interface Clients {
  readonly cloud: LocalCloud;
  readonly clock: DrivenClock;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly cloudWatch: CloudWatchClient;
}

/** The stack with the work queue's visibility timeout changed, as a redeployed template would change it. */
function withVisibilityTimeout(seconds: number): SynthesizedStack {
  const { Work } = STACK.template.Resources;
  return { ...STACK, template: { ...STACK.template, Resources: { ...STACK.template.Resources, Work: { ...Work, Properties: { ...Work.Properties, VisibilityTimeout: seconds } } } } };
}

async function withCloud<T>(options: { stateDirectory: string; keep: boolean; template?: SynthesizedStack }, use: (clients: Clients) => Promise<T>): Promise<T> {
  // Paused: the alarms are evaluated once at start and then only when the test says so.
  const clock = new DrivenClock({ paused: true });
  const cloud = await startLocalCloud({ port: 0, apiPort: 0, downloadPort: 0, template: STACK, cloudWatchClock: clock, ...options });
  const common = { endpoint: cloud.endpoints.aws, region: 'us-east-1', credentials: TEST_CREDENTIALS };
  const clients = { sqs: new SQSClient(common), s3: new S3Client({ ...common, forcePathStyle: true }), dynamodb: new DynamoDBClient(common), cloudWatch: new CloudWatchClient(common) };
  try {
    return await use({ cloud, clock, ...clients });
  } finally {
    Object.values(clients).forEach((client) => client.destroy());
    await cloud.stop();
  }
}

/** Receives until `count` messages came back (each hidden for a minute, so none is received twice). */
async function receiveAll(sqs: SQSClient, QueueUrl: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  await eventually(async () => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    messages.push(...Messages);
    return messages.length >= count ? true : undefined;
  }, `${count} messages on ${QueueUrl}`);
  return messages;
}

const receiveCounts = (messages: Message[]) => Object.fromEntries(messages.map((message) => [message.Body, message.Attributes?.ApproximateReceiveCount]));

async function visibleCount(sqs: SQSClient, QueueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

async function alarm({ cloudWatch }: Clients) {
  const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM_NAME] }));
  const { AlarmHistoryItems = [] } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM_NAME, HistoryItemType: 'StateUpdate' }));
  return { state: MetricAlarms[0]?.StateValue, updatedAt: MetricAlarms[0]?.StateUpdatedTimestamp?.getTime(), history: AlarmHistoryItems.map((item) => item.HistorySummary) };
}

async function breachesInLastFiveMinutes({ cloudWatch }: Clients): Promise<number | undefined> {
  const now = Date.now();
  const { Datapoints = [] } = await cloudWatch.send(
    new GetMetricStatisticsCommand({ Namespace: 'Keep', MetricName: 'Breaches', StartTime: new Date(now - 300_000), EndTime: new Date(now), Period: 300, Statistics: ['Maximum'] }),
  );
  return Datapoints[0]?.Maximum;
}

const getKeptItem = ({ dynamodb }: Clients) => dynamodb.send(new GetItemCommand({ TableName: 'keep-status', Key: { id: { S: 'kept' } } }));
const getKeptObject = ({ s3, cloud }: Clients) => s3.send(new GetObjectCommand({ Bucket: cloud.outputs.BucketName, Key: 'kept.txt' }));

describe('keeping data across starts', () => {
  it('keeps queued and dead-lettered messages with their receive counts, objects, items, metrics and alarm state and history with keep (a changed queue setting applied); starts empty without', async () => {
    const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-keep-'));

    const before = await withCloud({ stateDirectory, keep: true }, async (clients) => {
      const { sqs, s3, dynamodb, cloudWatch, cloud, clock } = clients;
      const work = cloud.outputs.WorkQueueUrl;
      // Dead-lettered: received until its receive count passes maxReceiveCount.
      await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'dead-lettered' }));
      for (let receive = 0; receive <= MAX_RECEIVE_COUNT; receive++) await sqs.send(new ReceiveMessageCommand({ QueueUrl: work, VisibilityTimeout: 0 }));
      await eventually(async () => ((await visibleCount(sqs, cloud.outputs.DeadQueueUrl)) === 1 ? true : undefined), 'the dead letter');
      // Received once, then made visible again at once (what the pollers do with a batch they did not run).
      await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'received-once' }));
      const [receivedOnce] = await receiveAll(sqs, work, 1);
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: work, ReceiptHandle: receivedOnce.ReceiptHandle, VisibilityTimeout: 0 }));
      await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'never-received' }));

      await s3.send(new PutObjectCommand({ Bucket: cloud.outputs.BucketName, Key: 'kept.txt', Body: 'kept body' }));
      await dynamodb.send(new PutItemCommand({ TableName: 'keep-status', Item: { id: { S: 'kept' } } }));
      // In the minute before the alarm's clock: a period that has ended when it is evaluated.
      await cloudWatch.send(new PutMetricDataCommand({ Namespace: 'Keep', MetricData: [{ MetricName: 'Breaches', Value: 1, Timestamp: new Date(clock.now() - 60_000) }] }));
      await cloud.cloudWatch.evaluateNow();
      return alarm(clients);
    });
    expect(before.state).toBe('ALARM');

    await withCloud({ stateDirectory, keep: true, template: withVisibilityTimeout(45) }, async (clients) => {
      const { sqs, cloud } = clients;
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: cloud.outputs.WorkQueueUrl, AttributeNames: ['VisibilityTimeout'] }));
      expect(Attributes?.VisibilityTimeout).toBe('45');
      expect(receiveCounts(await receiveAll(sqs, cloud.outputs.WorkQueueUrl, 2))).toEqual({ 'received-once': '2', 'never-received': '1' });
      expect(receiveCounts(await receiveAll(sqs, cloud.outputs.DeadQueueUrl, 1))).toEqual({ 'dead-lettered': String(MAX_RECEIVE_COUNT + 2) });
      expect(await (await getKeptObject(clients)).Body?.transformToString()).toBe('kept body');
      expect((await getKeptItem(clients)).Item).toEqual({ id: { S: 'kept' } });
      expect(await breachesInLastFiveMinutes(clients)).toBe(1);
      // Evaluated again on the kept datapoint: still in ALARM since before the restart, no new transition.
      await cloud.cloudWatch.evaluateNow();
      expect(await alarm(clients)).toEqual(before);
    });

    await withCloud({ stateDirectory, keep: false }, async (clients) => {
      const { sqs, cloud } = clients;
      expect(await visibleCount(sqs, cloud.outputs.WorkQueueUrl)).toBe(0);
      expect(await visibleCount(sqs, cloud.outputs.DeadQueueUrl)).toBe(0);
      await expect(getKeptObject(clients)).rejects.toMatchObject({ name: 'NoSuchKey' });
      expect((await getKeptItem(clients)).Item).toBeUndefined();
      expect(await breachesInLastFiveMinutes(clients)).toBeUndefined();
      expect((await alarm(clients)).history).not.toContain(before.history[0]);
    });
  });
});
