/**
 * The Tidewatch pipeline stack (issue 2): upload bucket, ingest, the files and jobs work queues, the
 * HTTP API, delivery and the tables, composed from one construct per concern, with the outputs the CLI
 * and the local cloud read.
 */
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV } from '../contract/env';
import { TidewatchMonitoring } from './alarms/monitoring';
import type { TidewatchConfig } from './config';
import { Delivery } from './delivery';
import { TidewatchHttpApi } from './http-api';
import { Ingest } from './ingest';
import { JobsApi } from './jobs-api';
import { acknowledgeNagFindings } from './nag-suppressions';
import { Paging } from './paging';
import { StatusTables } from './status-tables';
import { UploadApi } from './upload-api';
import { UploadBucket } from './upload-bucket';
import { WorkQueue } from './work-queue';

/** Output keys (exact): the CLI and the local cloud find resources by them. */
export const OUTPUT_KEYS = [
  'BucketName',
  'ApiUrl',
  'DownloadUrl',
  'FilesQueueUrl',
  'FilesDeadLetterQueueUrl',
  'JobsQueueUrl',
  'JobsDeadLetterQueueUrl',
  'StatusTableName',
  'PagingTopicArn',
  'DashboardName',
] as const;
export type OutputKey = (typeof OUTPUT_KEYS)[number];

export interface TidewatchStackProps extends StackProps {
  readonly config: TidewatchConfig;
}

/** `Tidewatch-<stage>`. */
export function stackName(stage: string): string {
  return `Tidewatch-${stage}`;
}

export class TidewatchStack extends Stack {
  readonly config: TidewatchConfig;
  readonly tables: StatusTables;
  readonly uploads: UploadBucket;
  readonly files: WorkQueue;
  readonly jobs: WorkQueue;
  readonly ingest: Ingest;
  readonly httpApi: TidewatchHttpApi;
  readonly uploadApi: UploadApi;
  readonly jobsApi: JobsApi;
  readonly delivery: Delivery;
  readonly paging: Paging;
  readonly monitoring: TidewatchMonitoring;

  constructor(scope: Construct, id: string, props: TidewatchStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, { description: `Tidewatch pipeline (${config.stage})`, ...stackProps });
    this.config = config;
    Tags.of(this).add('project', 'tidewatch');
    Tags.of(this).add('stage', config.stage);

    this.tables = new StatusTables(this, 'Tables');
    const { statusTable, idempotencyTable } = this.tables;
    this.uploads = new UploadBucket(this, 'Uploads', config);
    const bucket = this.uploads.bucket;

    this.files = new WorkQueue(this, 'Files', {
      workerName: 'file-worker',
      settings: config.files,
      config,
      environment: {
        [ENV.bucket]: bucket.bucketName,
        [ENV.statusTable]: statusTable.tableName,
        [ENV.idempotencyTable]: idempotencyTable.tableName,
        [ENV.maxUploadBytes]: String(config.maxUploadBytes),
      },
    });
    this.uploads.grantProcess(this.files.worker);
    // DeleteItem: a file that fails after claiming its content hash releases the claim.
    this.tables.grantStatus(this.files.worker, 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem');
    this.tables.grantIdempotency(this.files.worker);
    this.ingest = new Ingest(this, 'Ingest', { bucket, filesQueue: this.files.queue, fanOut: config.fanOut });

    this.jobs = new WorkQueue(this, 'Jobs', {
      workerName: 'job-worker',
      settings: config.jobs,
      config,
      environment: {
        [ENV.statusTable]: statusTable.tableName,
        [ENV.idempotencyTable]: idempotencyTable.tableName,
      },
    });
    this.tables.grantStatus(this.jobs.worker, 'GetItem', 'PutItem', 'UpdateItem');
    this.tables.grantIdempotency(this.jobs.worker);

    this.httpApi = new TidewatchHttpApi(this, 'HttpApi', config);
    this.uploadApi = new UploadApi(this, 'UploadApi', { api: this.httpApi, uploads: this.uploads, config });
    this.jobsApi = new JobsApi(this, 'JobsApi', {
      api: this.httpApi,
      tables: this.tables,
      jobsQueue: this.jobs.queue,
      config,
    });
    this.delivery = new Delivery(this, 'Delivery', { bucket, logBucket: this.uploads.accessLogBucket });
    this.paging = new Paging(this, 'Paging', config);
    this.monitoring = new TidewatchMonitoring(this, 'Monitoring', {
      config,
      paging: this.paging,
      workQueues: { files: this.files, jobs: this.jobs },
      httpApi: this.httpApi,
    });

    const outputs: Record<OutputKey, string> = {
      BucketName: bucket.bucketName,
      ApiUrl: this.httpApi.url,
      DownloadUrl: this.delivery.url,
      FilesQueueUrl: this.files.queue.queueUrl,
      FilesDeadLetterQueueUrl: this.files.deadLetterQueue.queueUrl,
      JobsQueueUrl: this.jobs.queue.queueUrl,
      JobsDeadLetterQueueUrl: this.jobs.deadLetterQueue.queueUrl,
      StatusTableName: statusTable.tableName,
      PagingTopicArn: this.paging.topic.topicArn,
      DashboardName: this.monitoring.dashboard.dashboardName,
    };
    for (const [key, value] of Object.entries(outputs)) new CfnOutput(this, key, { value });

    acknowledgeNagFindings(this);
  }
}
