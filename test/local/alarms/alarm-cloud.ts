/**
 * A local cloud for the alarm tests: the synthesized stack (with the test's context), started in-process
 * on free ports with the local CloudWatch on a `DrivenClock`, and an on-call's view of it: a queue
 * subscribed to the paging topic through the real SNS API, so pages are read as a subscriber gets them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand, type StateValue } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import { PagingInbox } from '../../../local/paging-inbox';
import type { SynthesizedStack } from '../../../local/template/model';
import { synthesizeTemplate } from '../../../local/template/synthesize';
import { eventually } from '../../support/eventually';
import { DrivenClock } from '../../support/driven-clock';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface AlarmCloud {
  readonly cloud: LocalCloud;
  readonly clock: DrivenClock;
  readonly outputs: Readonly<Record<string, string>>;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  /** The on-call's subscription to the paging topic. */
  readonly inbox: PagingInbox;
  /** Every line the functions wrote so far. */
  readonly lines: { readonly functionName: string; readonly line: string }[];
  /** `<stack name>-<catalogue id>`. */
  alarmName(id: string): string;
  /** The current state of every alarm of the stack, metric and composite. */
  alarmStates(): Promise<Record<string, StateValue>>;
  stop(): Promise<void>;
}

export interface AlarmCloudOptions {
  /** CDK context for synthesis. @default {} */
  readonly context?: Record<string, unknown>;
  /** Changes the synthesized template before the cloud starts. @default none */
  readonly patchTemplate?: (stack: SynthesizedStack) => SynthesizedStack;
  /** The local CloudWatch's clock stands still until the test advances it (see DrivenClock). @default false */
  readonly pausedClock?: boolean;
}

export async function startAlarmCloud(options: AlarmCloudOptions = {}): Promise<AlarmCloud> {
  const synthesized = await synthesizeTemplate({ context: options.context, projectRoot: PROJECT_ROOT });
  const template = options.patchTemplate ? options.patchTemplate(structuredClone(synthesized)) : synthesized;
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-alarms-'));
  const clock = new DrivenClock({ paused: options.pausedClock });
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
  const cloudWatch = new CloudWatchClient(common);
  const inbox = await PagingInbox.subscribe({ endpoint: cloud.endpoints.aws, region: cloud.services.region, topicArn: cloud.outputs.PagingTopicArn! });

  return {
    cloud,
    clock,
    outputs: cloud.outputs,
    sqs,
    cloudWatch,
    inbox,
    lines,
    alarmName: (id) => `${cloud.stackName}-${id}`,
    async alarmStates() {
      const { MetricAlarms = [], CompositeAlarms = [] } = await cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: `${cloud.stackName}-`, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      );
      return Object.fromEntries([...MetricAlarms, ...CompositeAlarms].map((alarm) => [alarm.AlarmName!, alarm.StateValue!]));
    },
    async stop() {
      await cloud.stop();
      inbox.close();
      for (const client of [sqs, cloudWatch]) client.destroy();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value, or fails naming `what` at the deadline (the shared poll, probe first). */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  return eventually(async () => probe(), what, timeoutMs, intervalMs);
}

/**
 * Pushes the local CloudWatch's clock ahead 10 s at a time (its finest cadence), reading pages after
 * each step, until `probe` returns a value or `maxAheadMs` of clock time have passed.
 */
export async function driveUntil<T>(alarmCloud: AlarmCloud, what: string, probe: () => Promise<T | undefined> | T | undefined, maxAheadMs: number): Promise<T> {
  const start = alarmCloud.clock.now();
  for (;;) {
    await alarmCloud.inbox.receive();
    const value = await probe();
    if (value !== undefined) return value;
    if (alarmCloud.clock.now() - start > maxAheadMs) throw new Error(`${what} did not happen within ${maxAheadMs / 1000} s of local CloudWatch time`);
    await alarmCloud.clock.advance(10_000);
  }
}
