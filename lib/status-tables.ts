/**
 * The status table (one item per file and per job) and the Powertools idempotency table: on-demand,
 * encrypted, point-in-time recovery. The status table is listed through two indexes (by queue and by
 * status, newest first), so listings are queries, never scans. Grants name single DynamoDB actions on
 * the table ARN, never a family like `grantReadWriteData` (which adds scans, batch writes and index
 * wildcards).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { STATUS_INDEXES } from '../contract/status-item';

/** Partition key of both tables (Powertools' default for the idempotency table). */
export const TABLE_PARTITION_KEY = 'id';
/** TTL attribute Powertools idempotency writes. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/**
 * What a listing shows of an item (beside the keys): its summary and failure, never the payload or the
 * result, which can be large and are read per item.
 */
const LISTED_ATTRIBUTES = ['kind', 'fileName', 'task', 'rowCount', 'attempts', 'lastError', 'createdAt', 'completedAt', 'duplicateOf', 's3Key'];

/** The item-level calls the handlers make on the status table. */
export type StatusTableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

export class StatusTables extends Construct {
  readonly statusTable: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.statusTable = newTable(this, 'StatusTable');
    for (const index of Object.values(STATUS_INDEXES)) {
      this.statusTable.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.INCLUDE,
        // Each index's partition key is the other's listed attribute: both show queue and status.
        nonKeyAttributes: [...LISTED_ATTRIBUTES, ...Object.values(STATUS_INDEXES).map((other) => other.partitionKey).filter((key) => key !== index.partitionKey)],
      });
    }
    this.idempotencyTable = newTable(this, 'IdempotencyTable', IDEMPOTENCY_TTL_ATTRIBUTE);
  }

  /** Grants the named item calls on the status table. */
  grantStatus(grantee: iam.IGrantable, ...actions: StatusTableAction[]): iam.Grant {
    // On the table's ARN only: Table.grant() adds `<table>/index/*` once the table has indexes, and item
    // calls never touch an index.
    return iam.Grant.addToPrincipal({ grantee, actions: actions.map((action) => `dynamodb:${action}`), resourceArns: [this.statusTable.tableArn] });
  }

  /** Grants what the Powertools DynamoDB persistence layer calls: get, conditional put, update, delete. */
  grantIdempotency(grantee: iam.IGrantable): iam.Grant {
    return this.idempotencyTable.grant(
      grantee,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
  }
}

function newTable(scope: Construct, id: string, timeToLiveAttribute?: string): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute,
  });
}
