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
import { Construct } from 'constructs';
import { UPLOAD_PREFIX } from '../contract/s3-layout';

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

    if (!props.fanOut) {
      // Adds the queue policy statement that lets this bucket (aws:SourceArn) send to the queue.
      props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(props.filesQueue), filter);
      return;
    }

    // A customer-managed key: S3 must be allowed in the key policy to publish to an encrypted topic,
    // which the AWS-managed alias/aws/sns key does not allow.
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Tidewatch upload fan-out topic',
      enableKeyRotation: true,
    });
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowS3EventNotifications',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.topicKey, enforceSSL: true });
    // Not raw delivery: the worker reads the SNS envelope, as any other subscriber would.
    this.topic.addSubscription(new SqsSubscription(props.filesQueue));
    props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SnsDestination(this.topic), filter);
  }
}
