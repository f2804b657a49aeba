import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../../local/runtime/function-host';
import { startLocalServices } from '../../../local/services';
import type { LocalServices } from '../../../local/template/model';
import { LogSink } from '../../../local/runtime/log-sink';
import { SqsPoller, type PollerMapping } from '../../../local/runtime/sqs-poller';

const handlers = fileURLToPath(new URL('./fixtures/handlers.ts', import.meta.url));
let services: LocalServices;
let sqs: SQSClient;
const running: { stop(): Promise<void> }[] = [];

// The real local endpoint (gateway in front of fauxqs), with an empty stack: each test creates its queues.
beforeAll(async () => {
  services = await startLocalServices({
    port: 0,
    apiPort: 0,
    downloadPort: 0,
    template: { stackName: 'RuntimeTest', template: { Resources: {} } },
    // A stopped poller's long poll, cut short, makes the gateway warn; that is expected here.
    onWarning: () => undefined,
  });
  sqs = new SQSClient({ endpoint: services.endpoint, region: services.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  sqs.destroy();
  await services.stop();
});
afterEach(async () => {
  for (const part of running.splice(0).reverse()) await part.stop();
});

/**
 * A work queue whose messages move to its DLQ after `maxReceiveCount` receives. Its visibility timeout
 * is short to keep the tests fast, yet longer than a cold start plus the fixtures' work.
 */
async function workQueue(name: string, maxReceiveCount = 2, visibilityTimeoutSeconds = 3) {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = await queueArn(dlq.QueueUrl as string);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: String(visibilityTimeoutSeconds), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
    }),
  );
  return { queueUrl: queue.QueueUrl as string, queueArn: await queueArn(queue.QueueUrl as string), dlqUrl: dlq.QueueUrl as string };
}

async function queueArn(queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes?.QueueArn as string;
}

async function messageCount(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

async function drain(queueUrl: string): Promise<string[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return (Messages ?? []).map((message) => message.Body as string);
}

function startPoller(mapping: PollerMapping, invoke: (event: unknown) => Promise<unknown>, log: string[] = []) {
  const poller = new SqsPoller({ mapping, sqs, region: 'us-east-1', invoke, log: (line) => log.push(line), waitTimeSeconds: 1 });
  poller.start();
  running.push({ stop: () => poller.stop(5_000) });
  return poller;
}

function fixtureHost(handler: string, timeoutSeconds = 10) {
  const host = new FunctionHost(
    { name: `fixture-${handler}`, entry: handlers, handler, environment: {}, timeoutSeconds, memoryMiB: 128 },
    { endpoint: services.endpoint, region: 'us-east-1', accountId: '000000000000', logSink: new LogSink() },
  );
  running.push(host);
  return host;
}

describe('SqsPoller', () => {
  it('builds the SQS event exactly as Lambda does', async () => {
    const queue = await workQueue('event-shape');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.queueUrl,
        MessageBody: '{"hello":"world"}',
        MessageAttributes: { traceId: { DataType: 'String', StringValue: 'abc' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') } },
      }),
    );
    const events: SQSEvent[] = [];
    startPoller({ ...queue, batchSize: 10, maximumBatchingWindowSeconds: 0, maxConcurrency: 2, reportBatchItemFailures: true }, async (event) => {
      events.push(event as SQSEvent);
      return { batchItemFailures: [] };
    });
    await expect.poll(() => events.length, { timeout: 10_000 }).toBe(1);
    const event = events[0] as SQSEvent;
    expect(() => SqsSchema.parse(event)).not.toThrow();
    const [record] = event.Records;
    expect(record).toMatchObject({
      body: '{"hello":"world"}',
      md5OfBody: createHash('md5').update('{"hello":"world"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.queueArn,
      awsRegion: 'us-east-1',
      messageAttributes: {
        traceId: { stringValue: 'abc', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: Buffer.from('bytes').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(Object.keys(record?.attributes ?? {}).sort()).toEqual(['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
    await expect.poll(() => messageCount(queue.queueUrl), { timeout: 5_000 }).toBe(0);
  });

  it('deletes the batch but its reported failures; those come back and reach the DLQ after maxReceiveCount', async () => {
    const queue = await workQueue('partial-batch', 2);
    const worker = fixtureHost('batch');
    const receivesOf = new Map<string, string[]>();
    // One poller: a slow cold start on a busy machine cannot overlap two deliveries of a message.
    startPoller({ ...queue, batchSize: 10, maximumBatchingWindowSeconds: 0, maxConcurrency: 1, reportBatchItemFailures: true }, async (event) => {
      for (const record of (event as SQSEvent).Records) receivesOf.set(record.body, [...(receivesOf.get(record.body) ?? []), record.attributes.ApproximateReceiveCount]);
      return worker.invoke(event);
    });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: ['good-1', 'bad-1', 'good-2'].map((body, index) => ({ Id: String(index), MessageBody: body })) }));

    await expect.poll(() => drain(queue.dlqUrl), { timeout: 20_000, interval: 500 }).toEqual(['bad-1']);
    expect(receivesOf.get('good-1')).toEqual(['1']);
    expect(receivesOf.get('good-2')).toEqual(['1']);
    expect(receivesOf.get('bad-1')).toEqual(['1', '2']);
    expect(await messageCount(queue.queueUrl)).toBe(0);
  });

  it('fails the whole batch on an invalid batch response', async () => {
    const queue = await workQueue('invalid-response', 5);
    const log: string[] = [];
    let invocations = 0;
    startPoller(
      { ...queue, batchSize: 10, maximumBatchingWindowSeconds: 0, maxConcurrency: 2, reportBatchItemFailures: true },
      async () => {
        invocations += 1;
        return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      },
      log,
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'kept' }));
    await expect.poll(() => invocations, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(log[0]).toBe('[sqs poller] invalid batch response, the whole batch failed: itemIdentifier not-in-this-batch is not a message of this batch');
  });

  it('loses no message when the function times out: it is redelivered, then dead-lettered', async () => {
    const queue = await workQueue('timeout', 2);
    const worker = fixtureHost('batch', 1);
    const outcomes: string[] = [];
    startPoller({ ...queue, batchSize: 1, maximumBatchingWindowSeconds: 0, maxConcurrency: 1, reportBatchItemFailures: true }, (event) =>
      worker.invoke(event).then(
        () => outcomes.push('ok'),
        (error: { errorType: string }) => {
          outcomes.push(error.errorType);
          throw error;
        },
      ),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'slow' }));
    await expect.poll(() => drain(queue.dlqUrl), { timeout: 20_000, interval: 500 }).toEqual(['slow']);
    await expect.poll(() => outcomes, { timeout: 5_000 }).toEqual(['Sandbox.Timedout', 'Sandbox.Timedout']);
  });

  it('gathers a batch for the whole batching window, its last fraction of a second included', async () => {
    const queue = await workQueue('window', 2, 10);
    const batches: string[][] = [];
    startPoller({ ...queue, batchSize: 10, maximumBatchingWindowSeconds: 1, maxConcurrency: 1, reportBatchItemFailures: true }, async (event) => {
      batches.push((event as SQSEvent).Records.map((record) => record.body));
      return { batchItemFailures: [] };
    });
    const inFlight = async () =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessagesNotVisible;
    // The next message is sent once the poller holds the ones before: all three arrive well within its 1 s
    // window, the third after the poller received the second (a receive that returned early, mid-window).
    for (const [index, body] of ['first', 'second'].entries()) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: body }));
      await expect.poll(inFlight, { interval: 10 }).toBe(String(index + 1));
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'third' }));
    await expect.poll(() => batches, { timeout: 5_000 }).toEqual([['first', 'second', 'third']]);
  });

  it('stops while long-polling without losing messages sent afterwards', async () => {
    const queue = await workQueue('stop');
    const poller = startPoller({ ...queue, batchSize: 10, maximumBatchingWindowSeconds: 0, maxConcurrency: 3, reportBatchItemFailures: false }, async () => undefined);
    const started = Date.now();
    await poller.stop(5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'after stop' }));
    expect(await drain(queue.queueUrl)).toEqual(['after stop']);
  });

  it('starts five pollers, adds more while batches come back full up to maxConcurrency, and retires them when the queue runs dry', async () => {
    const queue = await workQueue('scaling', 2, 30);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: Array.from({ length: 10 }, (_, index) => ({ Id: String(index), MessageBody: `m${index}` })) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: Array.from({ length: 10 }, (_, index) => ({ Id: String(index), MessageBody: `n${index}` })) }));
    let running = 0;
    let mostRunning = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const poller = startPoller({ ...queue, batchSize: 1, maximumBatchingWindowSeconds: 0, maxConcurrency: 10, reportBatchItemFailures: false }, async () => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      await gate;
      running -= 1;
    });
    expect(poller.pollers).toBe(5);
    // Every batch is full (batch size 1) and invocations hold on: pollers are added until ten run.
    await expect.poll(() => running, { timeout: 10_000 }).toBe(10);
    release();
    await expect.poll(() => messageCount(queue.queueUrl), { timeout: 10_000 }).toBe(0);
    // Empty long polls (1 s here) mean low traffic: back to the five it started with.
    await expect.poll(() => poller.pollers, { timeout: 10_000 }).toBe(5);
    expect(mostRunning).toBe(10);
  });
});
