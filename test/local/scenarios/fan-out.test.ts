/**
 * The SNS fan-out design (seed 000's "S3 → SQS", with a topic in between that other consumers can
 * subscribe to), started with context `tidewatch: {fanOut: true}`; and the same object delivered twice:
 * the very notification S3 sent, captured by a second subscriber of the topic, sent to the files queue
 * again (as the SNS envelope and as the bare S3 event) is skipped, with no second move.
 */
import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ListSubscriptionsCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { functionLogs, queueDepth, startScenarioCloud, statusItem, upload, waitForStatus, type ScenarioCloud } from './scenario-cloud';

let scenario: ScenarioCloud;
let topicArn: string;
/** A second subscriber of the fan-out topic, as any other consumer would add one. */
let captureQueueUrl: string;

async function queueArn(queueUrl: string): Promise<string> {
  const { Attributes } = await scenario.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes?.QueueArn ?? '';
}

beforeAll(async () => {
  scenario = await startScenarioCloud({ context: { tidewatch: { fanOut: true } } });
  const filesQueueArn = await queueArn(scenario.outputs.FilesQueueUrl);
  const { Subscriptions = [] } = await scenario.sns.send(new ListSubscriptionsCommand({}));
  const filesSubscription = Subscriptions.find((subscription) => subscription.Endpoint === filesQueueArn);
  if (!filesSubscription?.TopicArn) throw new Error(`no SNS subscription delivers to the files queue ${filesQueueArn}`);
  topicArn = filesSubscription.TopicArn;
  ({ QueueUrl: captureQueueUrl = '' } = await scenario.sqs.send(new CreateQueueCommand({ QueueName: 'scenario-fan-out-capture' })));
  await scenario.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await queueArn(captureQueueUrl) }));
});
afterAll(() => scenario?.stop());

/** The notification the topic fanned out for `s3Key`, as the capture queue got it (SNS envelope, not raw). */
function capturedNotification(s3Key: string): Promise<{ body: string; s3Event: string }> {
  return vi.waitFor(
    async () => {
      const { Messages = [] } = await scenario.sqs.send(new ReceiveMessageCommand({ QueueUrl: captureQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const message of Messages) {
        const envelope = JSON.parse(message.Body ?? '{}') as { Type?: string; Message?: string };
        const s3Event = JSON.parse(envelope.Message ?? '{}') as { Records?: { s3: { object: { key: string } } }[] };
        if (envelope.Type === 'Notification' && s3Event.Records?.[0]?.s3.object.key === s3Key) return { body: message.Body ?? '', s3Event: envelope.Message ?? '' };
      }
      throw new Error(`no notification for ${s3Key} on the capture queue yet`);
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe('S3 → SNS fan-out topic → files queue', () => {
  it('an upload reaches the file worker through the topic, SNS-wrapped, and is PROCESSED', async () => {
    const uploaded = await upload(scenario, 'fan-out.csv', `city,population\n"Paris, FR",2102650\n${randomUUID()},1\n`);
    const item = await waitForStatus(scenario, uploaded.fileId, ['PROCESSED', 'FAILED']);
    expect(item).toMatchObject({ status: 'PROCESSED', rowCount: 2, processedKey: `processed/${uploaded.fileId}/fan-out.csv` });
    // The log line follows the status write: wait for it rather than assume it is already there.
    const processedLog = () => functionLogs(scenario, 'file-worker').find((log) => log.message === 'file processed' && log.fileId === uploaded.fileId);
    await expect.poll(processedLog, { timeout: 5_000, interval: 50 }).toMatchObject({ via: 'sns', rowCount: 2 });
    // The topic is a real fan-out: every subscriber got the same S3 event.
    const captured = await capturedNotification(uploaded.s3Key);
    expect(JSON.parse(captured.body)).toMatchObject({ Type: 'Notification', TopicArn: topicArn, Subject: 'Amazon S3 Notification' });
  });

  it('the same object delivered again (SNS envelope, then bare S3 event) is skipped: still one PROCESSED, no second move', async () => {
    const uploaded = await upload(scenario, 'twice.csv', `a,b\n1,"x, y"\n${randomUUID()},2\n`);
    const captured = await capturedNotification(uploaded.s3Key);
    const processed = await waitForStatus(scenario, uploaded.fileId, ['PROCESSED', 'FAILED']);
    expect(processed.status).toBe('PROCESSED');
    const bucket = scenario.outputs.BucketName;
    const processedKey = `processed/${uploaded.fileId}/twice.csv`;
    const before = await scenario.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: processedKey }));

    for (const body of [captured.body, captured.s3Event]) {
      await scenario.sqs.send(new SendMessageCommand({ QueueUrl: scenario.outputs.FilesQueueUrl, MessageBody: body }));
    }
    const skipped = () => functionLogs(scenario, 'file-worker').filter((log) => log.message === 'object version already handled: repeated delivery skipped' && log.fileId === uploaded.fileId);
    await expect.poll(() => skipped().length, { timeout: 10_000, interval: 50 }).toBe(2);
    await expect.poll(() => queueDepth(scenario, scenario.outputs.FilesQueueUrl), { timeout: 10_000, interval: 100 }).toEqual({ visible: 0, inFlight: 0 });

    expect(await statusItem(scenario, uploaded.fileId)).toEqual(processed);
    const after = await scenario.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: processedKey }));
    expect([after.ETag, after.LastModified]).toEqual([before.ETag, before.LastModified]);
    const { Contents = [] } = await scenario.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `processed/${uploaded.fileId}/` }));
    expect(Contents.map((object) => object.Key)).toEqual([processedKey]);
    expect(await queueDepth(scenario, scenario.outputs.FilesDeadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});
