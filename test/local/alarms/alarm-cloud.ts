/**
 * A local cloud for the alarm tests: the synthesized stack (with the test's context), started in-process
 * on free ports with the local CloudWatch on a `DrivenClock`, and an on-call's view of it: a queue
 * subscribed to the paging topic through the real SNS API, so pages are read as a subscriber gets them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand, type StateValue } from '@aws-sdk/client-cloudwatch';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import type { SynthesizedStack } from '../../../local/template/model';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { DrivenClock } from './driven-clock';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** One CloudWatch alarm notification as the paging topic's subscriber received it. */
export interface ReceivedPage {
  readonly alarmName: string;
  readonly oldState: StateValue;
  readonly newState: StateValue;
  readonly reason: string;
  readonly description: string;
  /** When SNS delivered it to the subscribed queue (epoch ms, real time). */
  readonly deliveredAt: number;
}

export interface AlarmCloud {
  readonly cloud: LocalCloud;
  readonly clock: DrivenClock;
  readonly outputs: Readonly<Record<string, string>>;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  /** Every page received so far, in order of delivery. */
  readonly pages: ReceivedPage[];
  /** Every line the functions wrote so far. */
  readonly lines: { readonly functionName: string; readonly line: string }[];
  /** `<stack name>-<catalogue id>`. */
  alarmName(id: string): string;
  /** Reads the pages waiting on the subscribed queue into `pages`. */
  receivePages(): Promise<void>;
  /** The current state of every alarm of the stack, metric and composite. */
  alarmStates(): Promise<Record<string, StateValue>>;
  stop(): Promise<void>;
}

export interface AlarmCloudOptions {
  /** CDK context for synthesis. @default {} */
  readonly context?: Record<string, unknown>;
  /** Changes the synthesized template before the cloud starts. @default none */
  readonly patchTemplate?: (stack: SynthesizedStack) => SynthesizedStack;
}

export async function startAlarmCloud(options: AlarmCloudOptions = {}): Promise<AlarmCloud> {
  const synthesized = await synthesizeTemplate({ context: options.context, projectRoot: PROJECT_ROOT });
  const template = options.patchTemplate ? options.patchTemplate(structuredClone(synthesized)) : synthesized;
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-alarms-'));
  const clock = new DrivenClock();
  const cloud = await startLocalCloud({
    template,
    projectRoot: PROJECT_ROOT,
    port: 0,
    apiPort: 0,
    downloadPort: 0,
    stateDirectory,
    // Short long polls: a message whose visibility timeout ends is picked up within two seconds.
    pollWaitSeconds: 2,
    cloudWatchClock: clock,
  });
  const lines: { functionName: string; line: string }[] = [];
  cloud.runtime.onLine((functionName, line) => lines.push({ functionName, line }));
  const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
  const sqs = new SQSClient(common);
  const sns = new SNSClient(common);
  const cloudWatch = new CloudWatchClient(common);

  const { QueueUrl: inboxUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'on-call-pager' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: inboxUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn: cloud.outputs.PagingTopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));

  const pages: ReceivedPage[] = [];
  return {
    cloud,
    clock,
    outputs: cloud.outputs,
    sqs,
    cloudWatch,
    pages,
    lines,
    alarmName: (id) => `${cloud.stackName}-${id}`,
    async receivePages() {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: inboxUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['SentTimestamp'] }),
        );
        if (Messages.length === 0) return;
        for (const message of Messages) pages.push(readPage(message.Body ?? '', Number(message.Attributes?.SentTimestamp)));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: inboxUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      }
    },
    async alarmStates() {
      const { MetricAlarms = [], CompositeAlarms = [] } = await cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: `${cloud.stackName}-`, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      );
      return Object.fromEntries([...MetricAlarms, ...CompositeAlarms].map((alarm) => [alarm.AlarmName!, alarm.StateValue!]));
    },
    async stop() {
      await cloud.stop();
      for (const client of [sqs, sns, cloudWatch]) client.destroy();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

/** The CloudWatch notification inside SNS's envelope. */
function readPage(body: string, deliveredAt: number): ReceivedPage {
  const envelope = JSON.parse(body) as { Message: string };
  const message = JSON.parse(envelope.Message) as Record<string, string>;
  return {
    alarmName: message.AlarmName!,
    oldState: message.OldStateValue as StateValue,
    newState: message.NewStateValue as StateValue,
    reason: message.NewStateReason!,
    description: message.AlarmDescription ?? '',
    deliveredAt,
  };
}

/** Pages worth a human: everything but the OK every alarm sends when first evaluated on a quiet cloud. */
export function realPages(pages: readonly ReceivedPage[]): ReceivedPage[] {
  return pages.filter((page) => !(page.oldState === 'INSUFFICIENT_DATA' && page.newState === 'OK'));
}

/** Polls `probe` until it returns a value, or fails naming `what` at the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Pushes the local CloudWatch's clock ahead 10 s at a time (its finest cadence), reading pages after
 * each step, until `probe` returns a value or `maxAheadMs` of clock time have passed.
 */
export async function driveUntil<T>(alarmCloud: AlarmCloud, what: string, probe: () => Promise<T | undefined> | T | undefined, maxAheadMs: number): Promise<T> {
  const start = alarmCloud.clock.now();
  for (;;) {
    await alarmCloud.receivePages();
    const value = await probe();
    if (value !== undefined) return value;
    if (alarmCloud.clock.now() - start > maxAheadMs) throw new Error(`${what} did not happen within ${maxAheadMs / 1000} s of local CloudWatch time`);
    await alarmCloud.clock.advance(10_000);
  }
}
