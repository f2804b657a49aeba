import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGatewayMetrics } from '../../../local/cloudwatch/api-gateway-metrics';
import { LambdaMetrics } from '../../../local/cloudwatch/lambda-metrics';
import { MetricStore } from '../../../local/cloudwatch/metric-store';
import type { MetricIdentity } from '../../../local/cloudwatch/model';
import { fauxqsOldestMessage } from '../../../local/cloudwatch/oldest-message';
import { parseStatistic, statisticValue } from '../../../local/cloudwatch/statistics';
import { SqsMetrics } from '../../../local/cloudwatch/sqs-metrics';
import { ManualClock, startFauxqs, TEST_CREDENTIALS } from './helpers';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let sqs: SQSClient;
beforeAll(async () => {
  fauxqs = await startFauxqs();
  sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
});
afterAll(async () => {
  sqs?.destroy();
  await fauxqs?.stop();
});

function reader(store: MetricStore, clock: ManualClock) {
  const minute = Math.floor(clock.now() / 60_000) * 60_000;
  return (namespace: string, metricName: string, dimensions: MetricIdentity['dimensions'], statistic: string) => {
    const [aggregate] = store.aggregate({ namespace, metricName, dimensions }, { start: minute, periodSeconds: 60, count: 1 });
    return aggregate && statisticValue(aggregate, parseStatistic(statistic));
  };
}

describe('AWS/SQS metrics', () => {
  it('samples the gauges with GetQueueAttributes and the age of the oldest message without receiving it', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'files' }));
    for (const body of ['a', 'b', 'c']) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }));

    const clock = new ManualClock(Date.now() + 125_000); // the messages are now about two minutes old
    const store = new MetricStore({ clock });
    await new SqsMetrics(store, clock).sampleOnce({ sqs, queueUrls: [QueueUrl!], oldestMessage: fauxqsOldestMessage(fauxqs.endpoint) });

    const read = reader(store, clock);
    const queue = [{ name: 'QueueName', value: 'files' }];
    expect(read('AWS/SQS', 'ApproximateNumberOfMessagesVisible', queue, 'Maximum')).toBe(2);
    expect(read('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', queue, 'Maximum')).toBe(1);
    expect(read('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', queue, 'Maximum')).toBe(0);
    expect(read('AWS/SQS', 'ApproximateAgeOfOldestMessage', queue, 'Maximum')).toBeGreaterThanOrEqual(124);
    expect(read('AWS/SQS', 'ApproximateAgeOfOldestMessage', queue, 'Maximum')).toBeLessThanOrEqual(127);
    // Counters of an active queue are reported as zeros, not missing.
    expect(read('AWS/SQS', 'NumberOfMessagesDeleted', queue, 'Sum')).toBe(0);

    // Sampling received nothing: the two waiting messages are received now for the first time.
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(Messages?.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['1', '1']);
  });

  it('reports an empty queue as age 0 and a sampling failure to onError', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'empty' }));
    const clock = new ManualClock(Date.now());
    const store = new MetricStore({ clock });
    const errors: string[] = [];
    const missingUrl = QueueUrl!.replace(/empty$/, 'no-such-queue');
    await new SqsMetrics(store, clock).sampleOnce({
      sqs,
      queueUrls: [QueueUrl!, missingUrl],
      oldestMessage: fauxqsOldestMessage(fauxqs.endpoint),
      onError: (queue) => errors.push(queue),
    });
    expect(reader(store, clock)('AWS/SQS', 'ApproximateAgeOfOldestMessage', [{ name: 'QueueName', value: 'empty' }], 'Maximum')).toBe(0);
    expect(errors).toEqual(['no-such-queue']);
  });

  it('samples on a timer until stopped', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'timed' }));
    const clock = new ManualClock(Math.floor(Date.now() / 60_000) * 60_000);
    const store = new MetricStore({ clock });
    const metrics = new SqsMetrics(store, clock);
    metrics.start({ sqs, queueUrls: [QueueUrl!], intervalMs: 10_000 });
    const samples = () => reader(store, clock)('AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ name: 'QueueName', value: 'timed' }], 'SampleCount');
    const sampled = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (samples() !== count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return samples();
    };
    await clock.advance(0);
    expect(await sampled(1)).toBe(1);
    await clock.advance(10_000);
    expect(await sampled(2)).toBe(2);
    metrics.stop();
    await clock.advance(30_000);
    expect(samples()).toBe(2);
  });

  it('counts the actions the gateway proxies', () => {
    const clock = new ManualClock(Date.now());
    const store = new MetricStore({ clock });
    const metrics = new SqsMetrics(store, clock);
    metrics.recordAction('jobs', 'SendMessage', 1);
    metrics.recordAction('jobs', 'SendMessageBatch', 4);
    metrics.recordAction('jobs', 'ReceiveMessage', 3);
    metrics.recordAction('jobs', 'ReceiveMessage', 0);
    metrics.recordAction('jobs', 'ReceiveMessage', 0);
    metrics.recordAction('jobs', 'DeleteMessageBatch', 2);
    metrics.recordAction('jobs', 'DeleteMessage', 1);
    const read = reader(store, clock);
    const queue = [{ name: 'QueueName', value: 'jobs' }];
    expect(['NumberOfMessagesSent', 'NumberOfMessagesReceived', 'NumberOfEmptyReceives', 'NumberOfMessagesDeleted'].map((m) => read('AWS/SQS', m, queue, 'Sum'))).toEqual([5, 3, 2, 3]);
    expect(() => metrics.recordAction('jobs', 'PurgeQueue' as never, 1)).toThrow(/not counted/);
  });
});

describe('AWS/Lambda and AWS/ApiGateway metrics', () => {
  it('records invocations, errors, throttles, duration and concurrency per function', () => {
    const clock = new ManualClock(Date.now());
    const store = new MetricStore({ clock });
    const lambda = new LambdaMetrics(store, clock);
    lambda.recordInvocation({ functionName: 'fw', durationMs: 120, concurrent: 1 });
    lambda.recordInvocation({ functionName: 'fw', durationMs: 900, error: true, concurrent: 2 });
    lambda.recordInvocation({ functionName: 'fw', throttled: true });
    const read = reader(store, clock);
    const fn = [{ name: 'FunctionName', value: 'fw' }];
    expect(['Invocations', 'Errors', 'Throttles'].map((m) => read('AWS/Lambda', m, fn, 'Sum'))).toEqual([2, 1, 1]);
    expect(read('AWS/Lambda', 'Errors', fn, 'Average')).toBe(0.5);
    expect(read('AWS/Lambda', 'Duration', fn, 'Maximum')).toBe(900);
    expect(read('AWS/Lambda', 'Duration', fn, 'p50')).toBe(120);
    expect(read('AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum')).toBe(2);
  });

  it('records Count, 4xx, 5xx and latency per API and stage', () => {
    const clock = new ManualClock(Date.now());
    const store = new MetricStore({ clock });
    const api = new ApiGatewayMetrics(store, clock);
    api.recordApiRequest({ apiId: 'abc123', stage: '$default', status: 202, latencyMs: 40, integrationLatencyMs: 35 });
    api.recordApiRequest({ apiId: 'abc123', stage: '$default', status: 400, latencyMs: 5 });
    api.recordApiRequest({ apiId: 'abc123', stage: '$default', status: 503, latencyMs: 80 });
    api.recordApiRequest({ apiId: 'abc123', stage: '$default', status: 200, latencyMs: 20 });
    const read = reader(store, clock);
    const apiOnly = [{ name: 'ApiId', value: 'abc123' }];
    expect(read('AWS/ApiGateway', 'Count', apiOnly, 'Sum')).toBe(4);
    expect(read('AWS/ApiGateway', '4xx', apiOnly, 'Sum')).toBe(1);
    expect(read('AWS/ApiGateway', '5xx', apiOnly, 'Average')).toBe(0.25);
    expect(read('AWS/ApiGateway', 'Latency', apiOnly, 'Maximum')).toBe(80);
    expect(read('AWS/ApiGateway', 'IntegrationLatency', apiOnly, 'SampleCount')).toBe(1);
    expect(read('AWS/ApiGateway', 'Count', [...apiOnly, { name: 'Stage', value: '$default' }], 'Sum')).toBe(4);
  });
});
