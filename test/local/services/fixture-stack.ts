/**
 * A small CDK stack with every resource shape the local services read (queue + DLQ, SNS fan-out
 * wrapped and raw, bucket notifications with filters, tables with TTL, a project function with its
 * event source, HTTP route and schedule), synthesized by the pinned CDK so the shapes are real.
 * It does not depend on lib/app.ts, so these tests stand on their own.
 */
import { App, CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { SynthesizedStack } from '../../../local/template/model';

export const FIXTURE_STACK_NAME = 'Fixture-local';

export function synthesizeFixtureStack(): SynthesizedStack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, FIXTURE_STACK_NAME, { description: 'local services fixture' });

  const deadLetters = new sqs.Queue(stack, 'WorkDLQ', { retentionPeriod: Duration.days(14) });
  const work = new sqs.Queue(stack, 'WorkQueue', {
    visibilityTimeout: Duration.seconds(180),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  });
  const wrapped = new sqs.Queue(stack, 'WrappedQueue');
  const raw = new sqs.Queue(stack, 'RawQueue');
  const topic = new sns.Topic(stack, 'FanOutTopic');
  topic.addSubscription(new SqsSubscription(wrapped));
  topic.addSubscription(new SqsSubscription(raw, { rawMessageDelivery: true }));

  const bucket = new s3.Bucket(stack, 'Uploads');
  bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(work), { prefix: 'uploads/', suffix: '.csv' });
  bucket.addEventNotification(s3.EventType.OBJECT_CREATED_PUT, new s3n.SnsDestination(topic), { prefix: 'fanout/' });

  const status = new dynamodb.Table(stack, 'StatusTable', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  });
  const idempotency = new dynamodb.Table(stack, 'IdempotencyTable', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
    timeToLiveAttribute: 'expiration',
  });

  const worker = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    timeout: Duration.seconds(30),
    memorySize: 256,
    environment: {
      QUEUE_URL: work.queueUrl,
      QUEUE_ARN: work.queueArn,
      BUCKET_NAME: bucket.bucketName,
      STATUS_TABLE_NAME: status.tableName,
      IDEMPOTENCY_TABLE_NAME: idempotency.tableName,
      TOPIC_ARN: topic.topicArn,
      REGION_AND_STACK: Fn.sub('${AWS::Region}/${AWS::StackName}'),
    },
  });
  (worker.node.defaultChild as lambda.CfnFunction).addMetadata('Tidewatch:Entry', 'handlers/fixture/index.ts');
  (worker.node.defaultChild as lambda.CfnFunction).addMetadata('Tidewatch:Handler', 'handler');
  worker.addEventSource(new SqsEventSource(work, { batchSize: 5, maxBatchingWindow: Duration.seconds(2), maxConcurrency: 4, reportBatchItemFailures: true }));

  const api = new apigw.HttpApi(stack, 'Api', {
    corsPreflight: { allowOrigins: ['*'], allowMethods: [apigw.CorsHttpMethod.POST], allowHeaders: ['content-type'], maxAge: Duration.hours(1) },
  });
  api.addRoutes({ path: '/jobs/{id}', methods: [apigw.HttpMethod.GET], integration: new HttpLambdaIntegration('WorkerIntegration', worker) });
  new events.Rule(stack, 'Weekly', { schedule: events.Schedule.rate(Duration.days(7)), targets: [new targets.LambdaFunction(worker)] });

  new CfnOutput(stack, 'ApiUrl', { value: api.url as string });
  new CfnOutput(stack, 'WorkQueueUrl', { value: work.queueUrl, description: 'the work queue' });
  new CfnOutput(stack, 'DeadLetterQueueUrl', { value: deadLetters.queueUrl });
  new CfnOutput(stack, 'BucketName', { value: bucket.bucketName });
  new CfnOutput(stack, 'StatusTableName', { value: status.tableName });
  new CfnOutput(stack, 'TopicArn', { value: topic.topicArn });

  const template = app.synth().getStackByName(stack.stackName).template as SynthesizedStack['template'];
  return { stackName: stack.stackName, template };
}
