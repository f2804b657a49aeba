import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketNotificationConfigurationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.stop());

describe('provisioning from the template', () => {
  it('creates the queues with their visibility timeout, retention and redrive policy', async () => {
    const { outputs } = harness.services;
    const work = await harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.WorkQueueUrl, AttributeNames: ['All'] }));
    const dlq = await harness.sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.DeadLetterQueueUrl, AttributeNames: ['All'] }));
    expect(work.Attributes?.VisibilityTimeout).toBe('180');
    expect(JSON.parse(work.Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq.Attributes?.QueueArn, maxReceiveCount: 3 });
    expect(dlq.Attributes?.MessageRetentionPeriod).toBe(String(14 * 24 * 3600));
  });

  it('subscribes the queues to the topic, raw delivery as templated', async () => {
    const { Subscriptions = [] } = await harness.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: harness.services.outputs.TopicArn }));
    const raw: Record<string, string | undefined> = {};
    for (const subscription of Subscriptions) {
      const { Attributes } = await harness.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.SubscriptionArn }));
      raw[String(subscription.Endpoint).split(':').pop() as string] = Attributes?.RawMessageDelivery;
    }
    expect(Object.entries(raw).map(([queue, value]) => [queue.replace(/-[0-9a-f]{8}$/, ''), value]).sort()).toEqual([
      ['fixture-local-rawqueue', 'true'],
      ['fixture-local-wrappedqueue', 'false'],
    ]);
  });

  it('creates the tables with their keys, billing mode and time to live', async () => {
    const status = await harness.dynamodb.send(new DescribeTableCommand({ TableName: harness.services.outputs.StatusTableName }));
    expect(status.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(status.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const idempotencyTable = harness.services.functions[0].environment.IDEMPOTENCY_TABLE_NAME;
    const idempotency = await harness.dynamodb.send(new DescribeTableCommand({ TableName: idempotencyTable }));
    expect(idempotency.Table?.KeySchema).toEqual([
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const ttl = await harness.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: idempotencyTable }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiration' });
    const none = await harness.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: harness.services.outputs.StatusTableName }));
    expect(none.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });

  it('creates the bucket with the template notification configuration and sends the s3:TestEvent', async () => {
    const Bucket = harness.services.outputs.BucketName;
    await harness.s3.send(new HeadBucketCommand({ Bucket }));
    const configuration = await harness.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(configuration.QueueConfigurations).toEqual([
      expect.objectContaining({
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }, { Name: 'suffix', Value: '.csv' }] } },
      }),
    ]);
    expect(configuration.TopicConfigurations?.[0]).toMatchObject({ Events: ['s3:ObjectCreated:Put'], TopicArn: harness.services.outputs.TopicArn });
    const received = await harness.sqs.send(new ReceiveMessageCommand({ QueueUrl: harness.services.outputs.WorkQueueUrl, WaitTimeSeconds: 1 }));
    expect(JSON.parse(received.Messages?.[0]?.Body ?? '{}')).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket });
  });

  it('hands the runtime the functions, event sources, routes, CORS and schedules with local values', () => {
    const { services } = harness;
    const [worker] = services.functions;
    expect(worker).toMatchObject({ handler: 'handler', timeoutSeconds: 30, memoryMiB: 256 });
    expect(worker.entry).toMatch(/\/handlers\/fixture\/index\.ts$/);
    expect(worker.environment).toMatchObject({
      QUEUE_URL: services.outputs.WorkQueueUrl,
      BUCKET_NAME: services.outputs.BucketName,
      TOPIC_ARN: services.outputs.TopicArn,
      REGION_AND_STACK: 'us-east-1/Fixture-local',
    });
    expect(services.eventSourceMappings).toEqual([
      {
        functionLogicalId: worker.logicalId,
        queueUrl: services.outputs.WorkQueueUrl,
        queueArn: worker.environment.QUEUE_ARN,
        batchSize: 5,
        maximumBatchingWindowSeconds: 2,
        maxConcurrency: 4,
        reportBatchItemFailures: true,
        enabled: true,
      },
    ]);
    expect(services.queueUrlFromArn(worker.environment.QUEUE_ARN)).toBe(services.outputs.WorkQueueUrl);
    expect(services.httpRoutes).toEqual([{ routeKey: 'GET /jobs/{id}', functionLogicalId: worker.logicalId, payloadFormatVersion: '2.0' }]);
    expect(services.cors).toEqual({ allowOrigins: ['*'], allowMethods: ['POST'], allowHeaders: ['content-type'], exposeHeaders: [], maxAgeSeconds: 3600, allowCredentials: false });
    expect(services.schedules).toEqual([{ functionLogicalId: worker.logicalId, expression: 'rate(7 days)' }]);
    expect(services.outputs.ApiUrl).toBe('http://127.0.0.1:3900/');
  });
});
