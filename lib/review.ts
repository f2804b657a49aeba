/**
 * The weekly reliability review: a function run on a schedule (Monday 08:00 UTC by default) that
 * writes each week's report to the bucket under `reports/<ISO week>/` and publishes a short summary
 * to its own reports topic (never the paging topic: a report is not a page), and that
 * `tidewatch review` invokes on demand. Least privilege: reads of CloudWatch (which has no resource
 * scoping for them), a query on the status table's status index, reads and writes under `reports/`
 * only, and publish to the reports topic.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ENV } from '../contract/env';
import { REPORTS_PREFIX, type ReviewSources } from '../contract/review';
import { STATUS_INDEXES } from '../contract/status-item';
import type { TidewatchConfig } from './config';
import { monitoringCostJson } from './cost/stack-monitoring-cost';
import type { TidewatchHttpApi } from './http-api';
import { InstrumentedFunction } from './instrumented-function';
import { acknowledge, keyPrefixFinding } from './nag';
import type { StatusTables } from './status-tables';
import type { UploadBucket } from './upload-bucket';
import type { WorkQueue } from './work-queue';

export interface WeeklyReviewProps {
  readonly config: TidewatchConfig;
  readonly uploads: UploadBucket;
  readonly tables: StatusTables;
  readonly workQueues: readonly WorkQueue[];
  readonly httpApi: TidewatchHttpApi;
  /** The redrive audit ledger, whose runs the report lists. @default none: the report says "no redrive ledger" */
  readonly redriveLedger?: dynamodb.ITable;
}

/** Building a report is a few CloudWatch, DynamoDB and S3 calls and three renders: seconds, not minutes. */
const REVIEW_TIMEOUT = Duration.minutes(2);
const REVIEW_MEMORY_MIB = 512;

export class WeeklyReview extends Construct {
  /** The function with its role and log group. */
  readonly instrumented: InstrumentedFunction;
  readonly function: lambda.Function;
  readonly topic: sns.Topic;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: WeeklyReviewProps) {
    super(scope, id);
    const { config, uploads, tables } = props;

    // The AWS managed SNS key: the review publishes as a role of this account, and subscribers (email)
    // need no key policy of their own; a customer key (as the paging topic has) is for CloudWatch.
    this.topic = new sns.Topic(this, 'ReportsTopic', {
      displayName: `Tidewatch ${config.stage} weekly reviews`,
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    for (const email of config.reviewEmails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const sources: ReviewSources = {
      stackName: Stack.of(this).stackName,
      stage: config.stage,
      timeZone: config.reviewTimeZone,
      successSloPercent: config.successSloPercent,
      freshnessSloPercent: config.freshnessSloPercent,
      freshnessSloSeconds: config.freshnessSloSeconds,
      deadLetterRetentionDays: config.deadLetterRetentionDays,
      apiId: props.httpApi.api.apiId,
      workQueues: props.workQueues.map((queue) => ({
        name: queue.name,
        worker: queue.settings.worker,
        queueName: queue.queue.queueName,
        deadLetterQueueName: queue.deadLetterQueue.queueName,
        workerFunctionName: queue.worker.functionName,
        workerTimeoutSeconds: queue.settings.workerTimeoutSeconds,
      })),
    };
    const review = (this.instrumented = new InstrumentedFunction(this, 'Function', {
      name: 'review',
      config,
      timeout: REVIEW_TIMEOUT,
      memorySize: REVIEW_MEMORY_MIB,
      environment: {
        [ENV.bucket]: uploads.bucket.bucketName,
        [ENV.statusTable]: tables.statusTable.tableName,
        [ENV.reportsTopicArn]: this.topic.topicArn,
        [ENV.reviewSources]: Stack.of(this).toJsonString(sources),
        [ENV.monitoringCost]: monitoringCostJson(Stack.of(this)),
        ...(props.redriveLedger ? { [ENV.redriveLedgerTable]: props.redriveLedger.tableName } : {}),
      },
    }));
    this.function = review.function;
    this.grant(review.role, props);

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Tidewatch ${config.stage}: the weekly reliability review`,
      schedule: events.Schedule.expression(config.reviewSchedule),
      // Asynchronous, as EventBridge invokes: Lambda retries a failed run twice.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });
  }

  private grant(role: iam.Role, { uploads, tables, redriveLedger }: WeeklyReviewProps): void {
    const grant = (actions: string[], resources: string[]) => role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    grant(['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], ['*']);
    grant(['dynamodb:Query'], [`${tables.statusTable.tableArn}/index/${STATUS_INDEXES.byStatus.indexName}`]);
    grant(['s3:GetObject', 's3:PutObject'], [uploads.bucket.arnForObjects(`${REPORTS_PREFIX}*`)]);
    if (redriveLedger) {
      // The ledger's runs of the week, and whether the items they moved were processed since.
      grant(['dynamodb:Query'], [redriveLedger.tableArn]);
      grant(['dynamodb:BatchGetItem'], [tables.statusTable.tableArn]);
    }
    // Key names only, no content: without ListBucket S3 answers a missing earlier report with 403, not 404.
    grant(['s3:ListBucket'], [uploads.bucket.bucketArn]);
    this.topic.grantPublish(role);
    acknowledge(
      role,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'CloudWatch GetMetricData, DescribeAlarms and DescribeAlarmHistory support no resource-level permissions (and X-Ray tracing is granted on "*").',
      },
      {
        id: keyPrefixFinding(uploads.bucket, REPORTS_PREFIX),
        reason: 'The review reads earlier weeks\' reports and writes this week\'s under reports/<ISO week>/: the grant is the reports/ key prefix only.',
      },
    );
  }
}
