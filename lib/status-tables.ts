/**
 * The status table (one item per file and per job, DESIGN §1) and the Powertools idempotency table:
 * on-demand, encrypted, point-in-time recovery. Grants name single DynamoDB actions on the table ARN,
 * never a family like `grantReadWriteData` (which adds scans, batch writes and index wildcards).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Partition key of both tables (Powertools' default for the idempotency table). */
export const TABLE_PARTITION_KEY = 'id';
/** TTL attribute Powertools idempotency writes. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/** The item-level calls the handlers make on the status table. */
export type StatusTableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

export class StatusTables extends Construct {
  readonly statusTable: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.statusTable = newTable(this, 'StatusTable');
    this.idempotencyTable = newTable(this, 'IdempotencyTable', IDEMPOTENCY_TTL_ATTRIBUTE);
  }

  /** Grants the named item calls on the status table. */
  grantStatus(grantee: iam.IGrantable, ...actions: StatusTableAction[]): iam.Grant {
    return this.statusTable.grant(grantee, ...actions.map((action) => `dynamodb:${action}`));
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
