/**
 * `POST /jobs` (submit-job: write RECEIVED, enqueue) and `GET /jobs/{id}` (job-status: read the item).
 * Each function gets only the one or two calls it makes.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../contract/env';
import type { TidewatchConfig } from './config';
import type { TidewatchHttpApi } from './http-api';
import { InstrumentedFunction } from './instrumented-function';
import type { StatusTables } from './status-tables';

export interface JobsApiProps {
  readonly api: TidewatchHttpApi;
  readonly tables: StatusTables;
  /** The work queues run by the job worker, by name: POST /jobs sends to any of them. */
  readonly jobQueues: Readonly<Record<string, sqs.IQueue>>;
  /** The one POST /jobs sends to when the request names none. */
  readonly defaultJobQueue: string;
  readonly config: Pick<TidewatchConfig, 'stage' | 'logLevel' | 'maxJobBodyBytes'>;
}

export class JobsApi extends Construct {
  readonly submitJob: InstrumentedFunction;
  readonly jobStatus: InstrumentedFunction;

  constructor(scope: Construct, id: string, props: JobsApiProps) {
    super(scope, id);
    const { config, tables } = props;
    const statusTableName = tables.statusTable.tableName;

    this.submitJob = new InstrumentedFunction(this, 'SubmitJob', {
      name: 'submit-job',
      config,
      environment: {
        [ENV.statusTable]: statusTableName,
        [ENV.jobQueueUrls]: Stack.of(this).toJsonString(Object.fromEntries(Object.entries(props.jobQueues).map(([name, queue]) => [name, queue.queueUrl]))),
        [ENV.defaultJobQueue]: props.defaultJobQueue,
        [ENV.maxJobBodyBytes]: String(config.maxJobBodyBytes),
      },
    });
    // PutItem writes RECEIVED; UpdateItem marks the job FAILED when the queue refuses it.
    tables.grantStatus(this.submitJob.function, 'PutItem', 'UpdateItem');
    // Only SendMessage: grantSendMessages would add GetQueueAttributes and GetQueueUrl, which the
    // function never calls (it has the URL).
    iam.Grant.addToPrincipal({
      grantee: this.submitJob.function,
      actions: ['sqs:SendMessage'],
      resourceArns: Object.values(props.jobQueues).map((queue) => queue.queueArn),
    });
    props.api.addLambdaRoute(HttpMethod.POST, '/jobs', this.submitJob.function);

    this.jobStatus = new InstrumentedFunction(this, 'JobStatus', {
      name: 'job-status',
      config,
      environment: { [ENV.statusTable]: statusTableName },
    });
    tables.grantStatus(this.jobStatus.function, 'GetItem');
    props.api.addLambdaRoute(HttpMethod.GET, '/jobs/{id}', this.jobStatus.function);
  }
}
