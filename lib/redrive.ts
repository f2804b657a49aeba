/**
 * The redrive function (handlers/redrive/) the CLI and the dashboard's dead-letter widgets invoke, with its
 * audit ledger and least-privilege grants: on each work queue, send only; on each DLQ, what a selective
 * pass and a message move task need; on the status table, batch reads and the one index the widget
 * queries; on the bucket, writes under `dead-letters/` only; and invoking itself, to run a run's next chunk.
 *
 * The ledger is a table of its own rather than records in the status table: its items (runs, moved
 * messages, the per-queue lease) have their own key scheme, expire after 90 days by TTL while status
 * items do not, and stay out of the status table's queue and status indexes, which list files and jobs.
 *
 * Who may redrive is who may invoke the function: no resource policy opens it to anyone (the dashboard
 * invokes it with the viewer's own credentials), and the operator policy is the one grant to attach to
 * the on-call's roles.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../contract/env';
import { DEAD_LETTER_ARCHIVE_PREFIX, LEDGER_KEYS, LEDGER_TTL_ATTRIBUTE } from '../contract/redrive';
import { STATUS_INDEXES } from '../contract/status-item';
import type { TidewatchConfig } from './config';
import { InstrumentedFunction } from './instrumented-function';
import { acknowledge, keyPrefixFinding } from './nag';
import type { StatusTables } from './status-tables';
import type { UploadBucket } from './upload-bucket';
import type { WorkQueue } from './work-queue';

/** Lambda's longest timeout: a run works in chunks of at most 10 minutes within it. */
const FUNCTION_TIMEOUT = Duration.minutes(15);
const FUNCTION_MEMORY_MIB = 512;

export interface RedriveProps {
  readonly workQueues: readonly WorkQueue[];
  readonly tables: StatusTables;
  readonly uploads: UploadBucket;
  readonly config: Pick<TidewatchConfig, 'stage' | 'logLevel'>;
}

export class Redrive extends Construct {
  readonly function: InstrumentedFunction;
  readonly ledger: dynamodb.Table;
  /** Attach to the roles allowed to redrive (the on-call's): invoking the function is all the CLI and the widget need of it. */
  readonly operatorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RedriveProps) {
    super(scope, id);
    const { tables, uploads } = props;

    this.ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: { name: LEDGER_KEYS.partition, type: dynamodb.AttributeType.STRING },
      sortKey: { name: LEDGER_KEYS.sort, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
    });

    const queues = Object.fromEntries(
      props.workQueues.map((queue) => [
        queue.name,
        {
          worker: queue.settings.worker,
          queueUrl: queue.queue.queueUrl,
          queueArn: queue.queue.queueArn,
          deadLetterQueueUrl: queue.deadLetterQueue.queueUrl,
          deadLetterQueueArn: queue.deadLetterQueue.queueArn,
        },
      ]),
    );
    this.function = new InstrumentedFunction(this, 'Function', {
      name: 'redrive',
      config: props.config,
      timeout: FUNCTION_TIMEOUT,
      memorySize: FUNCTION_MEMORY_MIB,
      environment: {
        [ENV.redriveQueues]: Stack.of(this).toJsonString(queues),
        [ENV.redriveLedgerTable]: this.ledger.tableName,
        [ENV.statusTable]: tables.statusTable.tableName,
        [ENV.bucket]: uploads.bucket.bucketName,
      },
    });
    const role = this.function.role;

    const grant = (actions: string[], resourceArns: string[]) => iam.Grant.addToPrincipal({ grantee: role, actions, resourceArns });
    // SendMessage covers SendMessageBatch: the work queues only take the messages back.
    grant(['sqs:SendMessage'], props.workQueues.map((queue) => queue.queue.queueArn));
    // A selective pass receives, hides, releases and deletes; a move task is started, listed and cancelled on its source DLQ.
    grant(
      ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:CancelMessageMoveTask'],
      props.workQueues.map((queue) => queue.deadLetterQueue.queueArn),
    );
    grant(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], [this.ledger.tableArn]);
    grant(['dynamodb:BatchGetItem'], [tables.statusTable.tableArn]);
    grant(['dynamodb:Query'], [`${tables.statusTable.tableArn}/index/${STATUS_INDEXES.byStatus.indexName}`]);
    acknowledge(role, {
      id: keyPrefixFinding(uploads.bucket, DEAD_LETTER_ARCHIVE_PREFIX),
      reason: 'Archived dead letters are written under dead-letters/<queue>/<date>/<messageId>.json, keys known only at run time: the grant is PutObject on that key prefix only.',
    });
    grant(['s3:PutObject'], [uploads.bucket.arnForObjects(`${DEAD_LETTER_ARCHIVE_PREFIX}*`)]);
    // In a policy of its own: on the role's default policy, the function's own ARN would make the
    // function depend on the policy that depends on the function.
    new iam.Policy(this, 'ContinueRunPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] })],
    });

    this.operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      description: 'Tidewatch: redrive, cancel and archive dead letters (tidewatch redrive, the dashboard widget)',
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] })],
    });
  }
}
