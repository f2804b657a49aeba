/**
 * Ingest: `ObjectCreated` under `uploads/` reaches the files queue, either directly or through an SNS
 * fan-out topic (the two designs of the seeds). The file worker accepts both message shapes.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SnsDestination, SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UPLOAD_PREFIX } from '../contract/s3-layout';
import { acknowledge } from './nag';

export interface IngestProps {
  readonly bucket: s3.Bucket;
  readonly filesQueue: sqs.IQueue;
  /** Route notifications through an SNS topic other consumers can subscribe to. @default false */
  readonly fanOut?: boolean;
}

export class Ingest extends Construct {
  /** The fan-out topic, when `fanOut` is on. */
  readonly topic?: sns.Topic;
  /** The customer-managed key of the fan-out topic, when `fanOut` is on. */
  readonly topicKey?: kms.Key;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const filter: s3.NotificationKeyFilter = { prefix: UPLOAD_PREFIX };
    if (props.fanOut) {
      const { topic, topicKey } = fanOutTopic(this, props.filesQueue);
      this.topic = topic;
      this.topicKey = topicKey;
      props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SnsDestination(topic), filter);
    } else {
      // Adds the queue policy statement that lets this bucket (aws:SourceArn) send to the queue.
      props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(props.filesQueue), filter);
    }
    acknowledgeNotificationsHandler(Stack.of(this));
  }
}

function fanOutTopic(scope: Construct, filesQueue: sqs.IQueue): { topic: sns.Topic; topicKey: kms.Key } {

    // A customer-managed key: S3 must be allowed in the key policy to publish to an encrypted topic,
    // which the AWS-managed alias/aws/sns key does not allow.
  const topicKey = new kms.Key(scope, 'TopicKey', {
      description: 'Tidewatch upload fan-out topic',
      enableKeyRotation: true,
    });
  topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowS3EventNotifications',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
  const topic = new sns.Topic(scope, 'Topic', { masterKey: topicKey, enforceSSL: true });
  // Not raw delivery: the worker reads the SNS envelope, as any other subscriber would.
  topic.addSubscription(new SqsSubscription(filesQueue));
  return { topic, topicKey };
}

/** The id CDK gives its singleton bucket-notifications custom resource handler (a child of the stack). */
const BUCKET_NOTIFICATIONS_HANDLER_ID = /^BucketNotificationsHandler/;

function acknowledgeNotificationsHandler(stack: Stack): void {
  for (const handler of stack.node.children.filter((child) => BUCKET_NOTIFICATIONS_HANDLER_ID.test(child.node.id))) {
    acknowledge(handler, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "aws-cdk-lib's own bucket-notifications custom resource (runs only during deployment) creates its role with this managed policy; the role is not configurable.",
    });
  }
}
