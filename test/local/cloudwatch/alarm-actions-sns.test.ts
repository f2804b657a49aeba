import { MetricResolution, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { instrument } from '../../../handlers/shared/powertools';
import { createLocalCloudWatch, type PageEvent } from '../../../local/cloudwatch';
import { PAGING_TOPIC_ARN, PAGING_TOPIC_NAME, synthesizeAlarmFixture } from './alarm-fixture';
import { eventually } from '../../support/eventually';
import { ManualClock, startFauxqs, TEST_CREDENTIALS } from './helpers';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let sqs: SQSClient;
let sns: SNSClient;
let pagesQueueUrl: string;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  const clientOptions = { endpoint: fauxqs.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS };
  sqs = new SQSClient(clientOptions);
  sns = new SNSClient(clientOptions);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: PAGING_TOPIC_NAME }));
  expect(TopicArn).toBe(PAGING_TOPIC_ARN);
  pagesQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'pages' }))).QueueUrl!;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: pagesQueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
});

afterAll(async () => {
  sqs?.destroy();
  sns?.destroy();
  await fauxqs?.stop();
});

/** The next alarm notification delivered to the subscribed queue (the SNS envelope's Message, parsed). */
async function nextPage(): Promise<{ subject: string; alarm: Record<string, any> }> {
  const message = await eventually<Message>(async () => {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pagesQueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    return Messages?.[0];
  }, 'an alarm notification on the paging topic');
  const envelope = JSON.parse(message.Body!);
  expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: PAGING_TOPIC_ARN });
  return { subject: envelope.Subject, alarm: JSON.parse(envelope.Message) };
}

/** A DeadLettered datapoint exactly as the workers emit it: real Powertools EMF on stdout. */
function deadLetteredEmfLine(): string {
  const { metrics } = instrument('file-worker', { TIDEWATCH_STAGE: 'local' });
  let line = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    line += String(chunk);
    return true;
  });
  try {
    metrics.addMetric('DeadLettered', MetricUnit.Count, 1, MetricResolution.High);
    metrics.publishStoredMetrics();
  } finally {
    spy.mockRestore();
  }
  return line.trim();
}

describe('alarm actions', () => {
  it('publishes the CloudWatch notification to the paging topic through the real SNS, for ALARM and for OK', async () => {
    const line = deadLetteredEmfLine();
    const emittedAt = (JSON.parse(line) as { _aws: { Timestamp: number } })._aws.Timestamp;
    // The evaluation right after the datapoint's 10-second period ended.
    const boundary = Math.floor(emittedAt / 10_000) * 10_000 + 10_000;
    const clock = new ManualClock(boundary);
    const cloudWatch = createLocalCloudWatch({ ...synthesizeAlarmFixture(), endpoint: fauxqs.endpoint, clock });
    const pages: PageEvent[] = [];
    cloudWatch.onPage((page) => pages.push(page));
    const warnings: string[] = [];
    cloudWatch.onWarning((warning) => warnings.push(warning));

    cloudWatch.ingestLine('file-worker', line);
    await cloudWatch.evaluateNow();

    const alarmPages = [await nextPage(), await nextPage()].sort((a, b) => a.alarm.AlarmName.localeCompare(b.alarm.AlarmName));
    expect(alarmPages.map((p) => p.subject)).toEqual([
      'ALARM: "files-any-death" in US East (N. Virginia)',
      'ALARM: "files-dead-lettered" in US East (N. Virginia)',
    ]);
    expect(alarmPages[1].alarm).toMatchObject({
      AlarmName: 'files-dead-lettered',
      NewStateValue: 'ALARM',
      OldStateValue: 'INSUFFICIENT_DATA',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:files-dead-lettered',
      Trigger: { MetricName: 'DeadLettered', Namespace: 'Tidewatch', Period: 10 },
    });
    expect(alarmPages[1].alarm.NewStateReason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[1\.0 /);
    expect(pages.filter((p) => p.newState === 'ALARM').every((p) => typeof p.messageId === 'string' && p.error === undefined)).toBe(true);

    // Three 10-second periods later the datapoint has left the evaluation range: OK, with an OK page.
    clock.set(boundary + 30_000);
    await cloudWatch.evaluateNow();
    const ok = await nextPage();
    expect(ok.alarm).toMatchObject({ AlarmName: 'files-dead-lettered', OldStateValue: 'ALARM', NewStateValue: 'OK' });
    expect(warnings).toEqual([]);
    cloudWatch.stop();
  });

  it('reports a page that could not be published, naming the error', async () => {
    const clock = new ManualClock(Date.now());
    const cloudWatch = createLocalCloudWatch({ ...synthesizeAlarmFixture(), endpoint: fauxqs.endpoint, clock });
    const pages: PageEvent[] = [];
    cloudWatch.onPage((page) => pages.push(page));
    await fauxqs.stop(); // the endpoint is gone: the OK page of files-dead-lettered cannot be delivered
    await cloudWatch.evaluateNow();
    expect(pages.map((p) => [p.alarmName, p.newState])).toEqual([['files-dead-lettered', 'OK']]);
    expect(pages[0].error).toMatch(/ECONNREFUSED|connect/);
    fauxqs = await startFauxqs(); // for afterAll
  });
});
