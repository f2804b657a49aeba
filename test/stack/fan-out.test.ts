/**
 * The SNS fan-out ingest path (`fanOut: true`), on one synth with otherwise default settings, which
 * also pins the documented defaults of the work queues.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { references, resourcesOfType, synthesize } from './synth';

const synth = synthesize({ fanOut: true });
afterAll(() => synth.dispose());
const { stack, template, json } = synth;

const { id, arn, ref } = references(stack);

describe('fan-out ingest', () => {
  const topic = stack.ingest.topic!;
  const key = stack.ingest.topicKey!;

  it('exposes the topic and its key', () => {
    expect(topic).toBeDefined();
    expect(key).toBeDefined();
    // The fan-out topic, the paging topic and the reports topic, nothing else.
    expect(Object.keys(template.findResources('AWS::SNS::Topic')).sort()).toEqual([id(topic), id(stack.paging.topic), id(stack.review.topic)].sort());
  });

  it('sends ObjectCreated under uploads/ to the topic, not to the queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: ref(stack.uploads.bucket),
      NotificationConfiguration: {
        TopicConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            TopicArn: ref(topic),
          },
        ],
        QueueConfigurations: Match.absent(),
      },
    });
  });

  it('encrypts the topic with a rotated customer-managed key that S3 may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arn(key) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('lets only this bucket publish, over TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 's3.amazonaws.com' },
            Condition: { ArnLike: { 'aws:SourceArn': arn(stack.uploads.bucket) } },
          }),
        ]),
      },
    });
  });

  it('subscribes the files queue with the SNS envelope (not raw delivery)', () => {
    const subscriptions = Object.values(resourcesOfType(json, 'AWS::SNS::Subscription'));
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0].Properties).toEqual({ Protocol: 'sqs', TopicArn: ref(topic), Endpoint: arn(stack.workQueues.files!.queue) });
  });

  it('lets only the topic, not S3, send to the files queue', () => {
    const statements = Object.values(resourcesOfType(json, 'AWS::SQS::QueuePolicy'))
      .filter((p) => p.Properties.Queues.some((q: { Ref: string }) => q.Ref === id(stack.workQueues.files!.queue)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Condition?: unknown }[])
      .filter((s) => s.Effect === 'Allow');
    expect(statements).toEqual([
      expect.objectContaining({
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': ref(topic) } },
      }),
    ]);
  });
});

describe('defaults', () => {
  it.each([
    ['files', () => stack.workQueues.files!, DEFAULT_CONFIG.workQueues.files!],
    ['jobs', () => stack.workQueues.jobs!, DEFAULT_CONFIG.workQueues.jobs!],
  ] as const)('%s: visibility 6 × timeout, DLQ after 3 receives kept 14 days, documented batch settings', (_name, queue, settings) => {
    const props = json.Resources[id(queue().queue)].Properties;
    expect(props.VisibilityTimeout).toBe(6 * settings.workerTimeoutSeconds);
    expect(props.RedrivePolicy.maxReceiveCount).toBe(3);
    expect(json.Resources[id(queue().deadLetterQueue)].Properties.MessageRetentionPeriod).toBe(14 * 86400);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(queue().queue),
      BatchSize: settings.batchSize,
      MaximumBatchingWindowInSeconds: settings.maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: settings.maxConcurrency },
    });
  });

  it('names the stack Tidewatch-dev', () => {
    expect(stack.stackName).toBe('Tidewatch-dev');
  });
});
