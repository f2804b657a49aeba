/**
 * The seeds' naive pipeline, pinned for the cost benchmark: the same S3 → SQS → Lambda file path and
 * POST /jobs → SQS → Lambda job path, with the same memory as Tidewatch's functions, but batch size 1,
 * one PutItem per item, no idempotency table, no tracing, no EMF and one log line per item. A real CDK
 * stack (deployable as is); the local cloud runs it from its template like Tidewatch's own.
 */
import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENTRY_METADATA_KEY, HANDLER_METADATA_KEY, PROJECT_ROOT } from '../../lib/project';

export interface NaiveStackProps extends StackProps {
  /** Memory of each function, MiB: Tidewatch's, so that GB-seconds compare. */
  readonly memoryMiB: { readonly presign: number; readonly submitJob: number; readonly fileWorker: number; readonly jobWorker: number };
}

const HANDLERS = 'bench/naive/handlers';

export class NaiveStack extends Stack {
  constructor(scope: Construct, id: string, props: NaiveStackProps) {
    super(scope, id, props);
    const bucket = new s3.Bucket(this, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY, enforceSSL: true });
    const table = new dynamodb.Table(this, 'StatusTable', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const queue = (name: string) => {
      const deadLetterQueue = new sqs.Queue(this, `${name}Dlq`, { retentionPeriod: Duration.days(14) });
      return new sqs.Queue(this, `${name}Queue`, { visibilityTimeout: Duration.seconds(180), deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 3 } });
    };
    const filesQueue = queue('Files');
    const jobsQueue = queue('Jobs');
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(filesQueue), { prefix: 'uploads/' });

    const fn = (id: string, file: string, memorySize: number, environment: Record<string, string>) => {
      const entry = `${HANDLERS}/${file}`;
      const created = new NodejsFunction(this, id, {
        entry: path.join(PROJECT_ROOT, entry),
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        timeout: Duration.seconds(30),
        memorySize,
        environment,
      });
      const cfnFunction = created.node.defaultChild as lambda.CfnFunction;
      cfnFunction.addMetadata(ENTRY_METADATA_KEY, entry);
      cfnFunction.addMetadata(HANDLER_METADATA_KEY, 'handler');
      return created;
    };
    const presign = fn('Presign', 'presign.ts', props.memoryMiB.presign, { BUCKET_NAME: bucket.bucketName });
    const submitJob = fn('SubmitJob', 'submit-job.ts', props.memoryMiB.submitJob, { QUEUE_URL: jobsQueue.queueUrl });
    const fileWorker = fn('FileWorker', 'file-worker.ts', props.memoryMiB.fileWorker, { TABLE_NAME: table.tableName });
    const jobWorker = fn('JobWorker', 'job-worker.ts', props.memoryMiB.jobWorker, { TABLE_NAME: table.tableName });
    bucket.grantPut(presign);
    bucket.grantReadWrite(fileWorker);
    jobsQueue.grantSendMessages(submitJob);
    table.grantWriteData(fileWorker);
    table.grantWriteData(jobWorker);
    // "Batch size: 1" (the seeds' tutorial setting): one message per invocation.
    fileWorker.addEventSource(new SqsEventSource(filesQueue, { batchSize: 1 }));
    jobWorker.addEventSource(new SqsEventSource(jobsQueue, { batchSize: 1 }));

    const api = new apigw.HttpApi(this, 'Api');
    api.addRoutes({ path: '/presign', methods: [apigw.HttpMethod.POST], integration: new HttpLambdaIntegration('PresignIntegration', presign) });
    api.addRoutes({ path: '/jobs', methods: [apigw.HttpMethod.POST], integration: new HttpLambdaIntegration('SubmitJobIntegration', submitJob) });

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'StatusTableName', { value: table.tableName });
    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
  }
}
