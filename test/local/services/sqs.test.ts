import {
  AddPermissionCommand,
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricStore } from '../../../local/cloudwatch/metric-store';
import { fauxqsOldestMessage } from '../../../local/cloudwatch/oldest-message';
import { queueNameOf, SqsMetrics } from '../../../local/cloudwatch/sqs-metrics';
import { systemClock } from '../../../local/cloudwatch/clock';
import { eventually } from '../../support/eventually';
import { startHarness, TEST_CREDENTIALS, type Harness } from './harness';

let harness: Harness;
let workQueue: string;
let deadLetters: string;
let arnOf: (queueUrl: string) => Promise<string>;

beforeAll(async () => {
  harness = await startHarness();
  workQueue = harness.services.outputs.WorkQueueUrl;
  deadLetters = harness.services.outputs.DeadLetterQueueUrl;
  arnOf = async (QueueUrl) =>
    (await harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn as string;
});
afterAll(() => harness?.stop());
beforeEach(async () => {
  await Promise.all([workQueue, deadLetters].map((QueueUrl) => harness.sqs.send(new PurgeQueueCommand({ QueueUrl }))));
});

async function fillDeadLetters(count: number): Promise<void> {
  for (let first = 0; first < count; first += 10) {
    const entries = Array.from({ length: Math.min(10, count - first) }, (_, index) => ({
      Id: String(first + index),
      MessageBody: JSON.stringify({ job: first + index }),
      MessageAttributes: { origin: { DataType: 'String', StringValue: `job-${first + index}` } },
    }));
    await harness.sqs.send(new SendMessageBatchCommand({ QueueUrl: deadLetters, Entries: entries }));
  }
}

async function drain(QueueUrl: string, expected: number): Promise<Message[]> {
  const messages: Message[] = [];
  await eventually(async () => {
    const { Messages = [] } = await harness.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 60 }),
    );
    messages.push(...Messages);
    return messages.length >= expected ? true : undefined;
  }, `${expected} messages on ${QueueUrl}`);
  return messages;
}

async function latestTask(SourceArn: string) {
  const { Results = [] } = await harness.sqs.send(new ListMessageMoveTasksCommand({ SourceArn }));
  return Results[0];
}

describe('queue URLs', () => {
  it('answers URLs on 127.0.0.1 that a client can use as its endpoint', async () => {
    const created = await harness.sqs.send(new CreateQueueCommand({ QueueName: 'made-by-a-client' }));
    expect(created.QueueUrl).toBe(`${harness.services.endpoint}/000000000000/made-by-a-client`);
    const { QueueUrl } = await harness.sqs.send(new GetQueueUrlCommand({ QueueName: 'made-by-a-client' }));
    expect(QueueUrl).toBe(created.QueueUrl);
    const { QueueUrls = [] } = await harness.sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls).toContain(workQueue);
    expect(QueueUrls.every((url) => url.startsWith(`${harness.services.endpoint}/000000000000/`))).toBe(true);

    // No endpoint configured: the SDK sends to the queue URL's own host, which must resolve.
    // (Its logger would warn that the queue URL's host differs from the default endpoint: that is the point;
    // and its debug lines trace every config lookup: noise in the test output.)
    const quiet = () => undefined;
    const endpointless = new SQSClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, logger: { debug: quiet, info: quiet, warn: quiet, error: console.error } });
    try {
      await endpointless.send(new SendMessageCommand({ QueueUrl, MessageBody: 'via the queue URL' }));
    } finally {
      endpointless.destroy();
    }
    const { Messages = [] } = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(Messages.map((message) => message.Body)).toEqual(['via the queue URL']);
  });

  it("accepts fauxqs's sqs.<region>.localhost form and other hosts in requests", async () => {
    const port = new URL(harness.services.endpoint).port;
    const client = new SQSClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: harness.services.endpoint, useQueueUrlAsEndpoint: false });
    try {
      const name = workQueue.split('/').pop();
      await client.send(new SendMessageCommand({ QueueUrl: `http://sqs.us-east-1.localhost:${port}/000000000000/${name}`, MessageBody: 'one' }));
      await client.send(new SendMessageCommand({ QueueUrl: `http://localhost:${port}/000000000000/${name}`, MessageBody: 'two' }));
    } finally {
      client.destroy();
    }
    const bodies = (await drain(workQueue, 2)).map((message) => message.Body).sort();
    expect(bodies).toEqual(['one', 'two']);
  });

  it("returns a message body as it was sent, even one naming a queue by fauxqs's own URL", async () => {
    const body = `moved from http://sqs.us-east-1.localhost:${new URL(harness.services.fauxqsEndpoint).port}/000000000000/jobs`;
    await harness.sqs.send(new SendMessageCommand({ QueueUrl: workQueue, MessageBody: body }));
    expect((await drain(workQueue, 1)).map((message) => message.Body)).toEqual([body]);
  });

  it('rejects an action it does not emulate with an AWS error naming service and action', async () => {
    const failure = await harness.sqs
      .send(new AddPermissionCommand({ QueueUrl: workQueue, Label: 'x', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }))
      .catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('UnsupportedOperation');
    expect((failure as Error).message).toBe('SQS AddPermission is not supported by the Tidewatch local cloud');
    expect((failure as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it('names the SQS query protocol (older clients) as unsupported', async () => {
    const credential = 'test/20260101/us-east-1/sqs/aws4_request';
    const response = await fetch(harness.services.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0` },
      body: new URLSearchParams({ Action: 'ReceiveMessage', QueueUrl: workQueue }).toString(),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Message>SQS ReceiveMessage over the query protocol is not supported by the Tidewatch local cloud</Message>');
  });
});

describe('message bodies', () => {
  // SQS takes #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF: emoji and other
  // characters beyond the Basic Multilingual Plane are allowed.
  const body = JSON.stringify({ note: 'deploy 🚀 done ✅', math: '𝔸𝔹ℂ', han: '𠀋' });

  it('accepts characters beyond U+FFFF in SendMessage and SendMessageBatch, and gives them back unchanged', async () => {
    await harness.sqs.send(new SendMessageCommand({ QueueUrl: workQueue, MessageBody: body }));
    await harness.sqs.send(new SendMessageBatchCommand({ QueueUrl: workQueue, Entries: [{ Id: 'a', MessageBody: body }] }));
    const messages = await drain(workQueue, 2);
    expect(messages.map((message) => message.Body)).toEqual([body, body]);
  });

  it('still refuses a character SQS does not take, naming the rule', async () => {
    await expect(harness.sqs.send(new SendMessageCommand({ QueueUrl: workQueue, MessageBody: 'bell \u0007' }))).rejects.toMatchObject({
      name: 'InvalidMessageContents',
      message: expect.stringContaining('#x10000 to #x10FFFF'),
    });
  });
});

describe('visibility timeout', () => {
  const attributes = async (QueueUrl: string) =>
    (await harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })))
      .Attributes ?? {};

  it('returns a message to visible when its timeout expires, for attributes and the DLQ metrics, with no further receive', async () => {
    const VisibilityTimeout = 1;
    await harness.sqs.send(new SendMessageCommand({ QueueUrl: deadLetters, MessageBody: 'peeked' }));
    const { Messages = [] } = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetters, VisibilityTimeout }));
    expect(Messages.map((message) => message.Body)).toEqual(['peeked']);
    expect(await attributes(deadLetters)).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });

    // Nothing receives from the DLQ again: only reads, as the CLI's status and the local CloudWatch's sampler do.
    const visibleAgain = await eventually(
      async () => {
        const now = await attributes(deadLetters);
        return now.ApproximateNumberOfMessages === '1' ? now : undefined;
      },
      'the message to be visible again',
      VisibilityTimeout * 1000 + 10_000,
    );
    expect(visibleAgain.ApproximateNumberOfMessagesNotVisible).toBe('0');

    // What the DLQ-not-empty alarm reads: ApproximateNumberOfMessagesVisible, as the local CloudWatch samples it.
    const store = new MetricStore({ clock: systemClock });
    await new SqsMetrics(store, systemClock).sampleOnce({
      sqs: harness.sqs,
      queueUrls: [deadLetters],
      oldestMessage: fauxqsOldestMessage(harness.services.fauxqsEndpoint),
      onError: (queueName, error) => {
        throw new Error(`sampling ${queueName} failed: ${(error as Error).message}`);
      },
    });
    const sampled = (metricName: string) => {
      const [period] = store.aggregate(
        { namespace: 'AWS/SQS', metricName, dimensions: [{ name: 'QueueName', value: queueNameOf(deadLetters) }] },
        { start: Math.floor(Date.now() / 60_000) * 60_000 - 60_000, periodSeconds: 120, count: 1 },
      );
      return period?.maximum;
    };
    expect(sampled('ApproximateNumberOfMessagesVisible')).toBe(1);
    expect(sampled('ApproximateNumberOfMessagesNotVisible')).toBe(0);
  });
});

describe('long polls', () => {
  it('wakes one waiting long poll per message: another waiting poll keeps waiting, for the next message or to its wait time', async () => {
    // A wait far longer than the test needs, so that no stall of a loaded machine empties a poll before the messages come.
    const poll = () => harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: workQueue, WaitTimeSeconds: 10, VisibilityTimeout: 60 }));
    const started = Date.now();
    const polls = [poll(), poll()].map((answer) => answer.then((reply) => ({ bodies: (reply.Messages ?? []).map((message) => message.Body), ms: Date.now() - started })));
    // Gives both polls time to be waiting when the first message arrives, the case in question; should one
    // be late, it finds the first message taken and waits for the second, so the outcome is the same.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.sqs.send(new SendMessageCommand({ QueueUrl: workQueue, MessageBody: 'first' }));
    const first = await Promise.race(polls);
    expect(first.bodies).toEqual(['first']);

    await harness.sqs.send(new SendMessageCommand({ QueueUrl: workQueue, MessageBody: 'second' }));
    const answers = await Promise.all(polls);
    // The other poll did not come back empty when the first message woke it: it took the second.
    expect(answers.map((answer) => answer.bodies).sort()).toEqual([['first'], ['second']]);
  });

  it('answers an empty long poll only once its wait time is over', async () => {
    const started = Date.now();
    const waiting = harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: workQueue, WaitTimeSeconds: 4 }));
    const other = harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: workQueue, WaitTimeSeconds: 4, VisibilityTimeout: 60 }));
    // As above: both waiting is the case in question; either way, one poll stays empty and must wait its time out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.sqs.send(new SendMessageCommand({ QueueUrl: workQueue, MessageBody: 'one' }));
    const [a, b] = await Promise.all([waiting, other]);
    expect([...(a.Messages ?? []), ...(b.Messages ?? [])]).toHaveLength(1);
    // The one left empty waited out its 4 s (a lower bound, which load can only lengthen).
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_900);
  });
});

describe('message move tasks', () => {
  it('moves every dead letter back to its source queue, bodies and attributes kept', async () => {
    await fillDeadLetters(12);
    const SourceArn = await arnOf(deadLetters);
    const { TaskHandle } = await harness.sqs.send(new StartMessageMoveTaskCommand({ SourceArn }));
    expect(TaskHandle).toBeTruthy();
    const done = await eventually(async () => {
      const task = await latestTask(SourceArn);
      return task?.Status === 'COMPLETED' ? task : undefined;
    }, 'the move task to complete');
    expect(done).toMatchObject({ SourceArn, ApproximateNumberOfMessagesMoved: 12, ApproximateNumberOfMessagesToMove: 12 });
    expect(done.TaskHandle).toBeUndefined();
    const moved = await drain(workQueue, 12);
    expect(moved.map((message) => JSON.parse(message.Body as string).job).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    for (const message of moved) {
      expect(message.MessageAttributes?.origin.StringValue).toBe(`job-${JSON.parse(message.Body as string).job}`);
    }
    const left = await harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['All'] }));
    expect(left.Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(left.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('honours MaxNumberOfMessagesPerSecond and moves to a DestinationArn', async () => {
    await fillDeadLetters(5);
    const other = (await harness.sqs.send(new CreateQueueCommand({ QueueName: 'redrive-destination' }))).QueueUrl as string;
    const [SourceArn, DestinationArn] = await Promise.all([arnOf(deadLetters), arnOf(other)]);
    const started = Date.now();
    await harness.sqs.send(new StartMessageMoveTaskCommand({ SourceArn, DestinationArn, MaxNumberOfMessagesPerSecond: 2 }));
    expect(await latestTask(SourceArn)).toMatchObject({ Status: 'RUNNING', DestinationArn, MaxNumberOfMessagesPerSecond: 2, ApproximateNumberOfMessagesToMove: 5 });
    await eventually(async () => ((await latestTask(SourceArn))?.Status === 'COMPLETED' ? true : undefined), 'the paced task to complete');
    // Five messages at two a second: the fifth leaves no earlier than 2 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(await drain(other, 5)).toHaveLength(5);
  });

  it('cancels a running task, leaving the rest in the DLQ', async () => {
    await fillDeadLetters(10);
    const SourceArn = await arnOf(deadLetters);
    const { TaskHandle } = await harness.sqs.send(new StartMessageMoveTaskCommand({ SourceArn, MaxNumberOfMessagesPerSecond: 1 }));
    await expect(harness.sqs.send(new StartMessageMoveTaskCommand({ SourceArn }))).rejects.toThrow(/already a task running/);
    await eventually(async () => (((await latestTask(SourceArn))?.ApproximateNumberOfMessagesMoved ?? 0) >= 1 ? true : undefined), 'a first moved message');
    const { ApproximateNumberOfMessagesMoved } = await harness.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    const cancelled = await eventually(async () => {
      const task = await latestTask(SourceArn);
      return task?.Status === 'CANCELLED' ? task : undefined;
    }, 'the task to be cancelled');
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(ApproximateNumberOfMessagesMoved as number);
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(10);
    const moved = cancelled.ApproximateNumberOfMessagesMoved as number;
    const left = await harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(Number(left.Attributes?.ApproximateNumberOfMessages)).toBe(10 - moved);
    await expect(harness.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses a source that is not a dead-letter queue, and lists a DLQ’s source queues', async () => {
    await expect(harness.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: await arnOf(workQueue) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('must be configured as a Dead Letter Queue'),
    });
    const { queueUrls } = await harness.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: deadLetters }));
    expect(queueUrls).toEqual([workQueue]);
  });
});
