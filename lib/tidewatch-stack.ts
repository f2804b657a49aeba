/**
 * The Tidewatch pipeline stack: upload bucket, ingest, one work queue per `workQueues` entry, the HTTP
 * API, delivery, the tables, paging and monitoring, composed from one construct per concern, with the
 * outputs the CLI and the local cloud read.
 */
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { listsAllItems } from '../contract/api-access';
import { ENV } from '../contract/env';
import { titleOf } from '../contract/naming';
import { deadLetterQueueUrlOutputKey, formatWorkQueueNames, queueUrlOutputKey, type StackOutputKey } from '../contract/outputs';
import type { WorkerName } from '../contract/workers';
import { TidewatchMonitoring } from './alarms/monitoring';
import type { TidewatchConfig } from './config';
import { ConsoleSite } from './console-site';
import { Delivery } from './delivery';
import { TidewatchHttpApi } from './http-api';
import { Ingest } from './ingest';
import { ItemsApi } from './items-api';
import { JobsApi } from './jobs-api';
import { Paging } from './paging';
import { Redrive } from './redrive';
import { applyStageLifecycle } from './stage-lifecycle';
import { StatusTables } from './status-tables';
import { UploadApi } from './upload-api';
import { WeeklyReview } from './review';
import { UploadBucket } from './upload-bucket';
import { WorkQueue } from './work-queue';
import { WORKER_INTEGRATIONS } from './workers';

export interface TidewatchStackProps extends StackProps {
  readonly config: TidewatchConfig;
}

/** POST /jobs sends here when the request names no queue: `jobs`, or the first queue the job worker runs. */
const DEFAULT_JOB_QUEUE = 'jobs';

export class TidewatchStack extends Stack {
  readonly config: TidewatchConfig;
  readonly tables: StatusTables;
  readonly uploads: UploadBucket;
  /** Every work queue, by name, in configuration order. */
  readonly workQueues: Readonly<Record<string, WorkQueue>>;
  readonly ingest: Ingest;
  readonly httpApi: TidewatchHttpApi;
  readonly uploadApi: UploadApi;
  readonly jobsApi: JobsApi;
  /** GET /items, where it exists (see contract/api-access.ts). */
  readonly itemsApi?: ItemsApi;
  readonly delivery: Delivery;
  readonly consoleSite: ConsoleSite;
  readonly paging: Paging;
  readonly redrive: Redrive;
  readonly monitoring: TidewatchMonitoring;
  readonly review: WeeklyReview;

  constructor(scope: Construct, id: string, props: TidewatchStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, { description: `Tidewatch pipeline (${config.stage})`, ...stackProps });
    this.config = config;
    Tags.of(this).add('project', 'tidewatch');
    Tags.of(this).add('stage', config.stage);
    applyStageLifecycle(this, config);

    this.tables = new StatusTables(this, 'Tables');
    this.uploads = new UploadBucket(this, 'Uploads', config);
    const resources = { uploads: this.uploads, config };

    this.workQueues = Object.fromEntries(
      Object.entries(config.workQueues).map(([name, settings]) => {
        const integration = WORKER_INTEGRATIONS[settings.worker];
        const workQueue = new WorkQueue(this, titleOf(name), {
          name,
          settings,
          config,
          environment: {
            [ENV.statusTable]: this.tables.statusTable.tableName,
            [ENV.idempotencyTable]: this.tables.idempotencyTable.tableName,
            ...integration.environment(resources),
          },
        });
        this.tables.grantStatus(workQueue.worker, ...integration.statusActions);
        this.tables.grantIdempotency(workQueue.worker);
        integration.grant(workQueue, resources);
        return [name, workQueue];
      }),
    );
    this.ingest = new Ingest(this, 'Ingest', { bucket: this.uploads.bucket, filesQueue: this.queuesRunBy('file-worker')[0]!.queue, fanOut: config.fanOut });

    this.httpApi = new TidewatchHttpApi(this, 'HttpApi', config);
    this.uploadApi = new UploadApi(this, 'UploadApi', { api: this.httpApi, uploads: this.uploads, tables: this.tables, config });
    const jobQueues = this.queuesRunBy('job-worker');
    this.jobsApi = new JobsApi(this, 'JobsApi', {
      api: this.httpApi,
      tables: this.tables,
      jobQueues: Object.fromEntries(jobQueues.map((queue) => [queue.name, queue.queue])),
      defaultJobQueue: jobQueues.some((queue) => queue.name === DEFAULT_JOB_QUEUE) ? DEFAULT_JOB_QUEUE : jobQueues[0]!.name,
      config,
    });
    if (listsAllItems(config.stage, config.apiAuth)) {
      this.itemsApi = new ItemsApi(this, 'ItemsApi', { api: this.httpApi, tables: this.tables, workQueueNames: Object.keys(this.workQueues), config });
    }
    this.delivery = new Delivery(this, 'Delivery', { bucket: this.uploads.bucket, logBucket: this.uploads.accessLogBucket });
    this.consoleSite = new ConsoleSite(this, 'Console', { bucket: this.uploads.bucket, distribution: this.delivery.distribution, apiUrl: this.httpApi.url, config });
    this.paging = new Paging(this, 'Paging', config);
    this.redrive = new Redrive(this, 'Redrive', { workQueues: Object.values(this.workQueues), tables: this.tables, uploads: this.uploads, config });
    this.monitoring = new TidewatchMonitoring(this, 'Monitoring', {
      config,
      paging: this.paging,
      workQueues: Object.values(this.workQueues),
      httpApi: this.httpApi,
      redriveFunctionArn: this.redrive.function.function.functionArn,
    });
    this.review = new WeeklyReview(this, 'Review', { config, uploads: this.uploads, tables: this.tables, workQueues: Object.values(this.workQueues), httpApi: this.httpApi, redriveLedger: this.redrive.ledger });

    const outputs: Record<StackOutputKey, string> = {
      BucketName: this.uploads.bucket.bucketName,
      ApiUrl: this.httpApi.url,
      DownloadUrl: this.delivery.url,
      StatusTableName: this.tables.statusTable.tableName,
      PagingTopicArn: this.paging.topic.topicArn,
      DashboardName: this.monitoring.dashboard.dashboardName,
      WorkQueueNames: formatWorkQueueNames(Object.keys(this.workQueues)),
      RedriveFunctionName: this.redrive.function.function.functionName,
      RedriveLedgerTableName: this.redrive.ledger.tableName,
      ReviewFunctionName: this.review.function.functionName,
      ReportsTopicArn: this.review.topic.topicArn,
    };
    for (const [key, value] of Object.entries(outputs)) new CfnOutput(this, key, { value });
    for (const workQueue of Object.values(this.workQueues)) {
      new CfnOutput(this, queueUrlOutputKey(workQueue.name), { value: workQueue.queue.queueUrl, description: `The ${workQueue.name} work queue` });
      new CfnOutput(this, deadLetterQueueUrlOutputKey(workQueue.name), { value: workQueue.deadLetterQueue.queueUrl, description: `The ${workQueue.name} dead-letter queue` });
    }
  }

  /** The work queues run by a worker kind, in configuration order. */
  queuesRunBy(worker: WorkerName): WorkQueue[] {
    return Object.values(this.workQueues).filter((queue) => queue.settings.worker === worker);
  }
}
