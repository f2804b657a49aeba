/**
 * `GET /items`: the list-items function pages through recent items of every work queue, from the status
 * table's queue index. It lists everyone's items, so the stack adds it only where callers are known or
 * on the local stage (contract/api-access.ts `listsAllItems`).
 */
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ITEMS_ROUTE } from '../contract/api-routes';
import { ENV } from '../contract/env';
import { formatWorkQueueNames } from '../contract/outputs';
import { STATUS_INDEXES } from '../contract/status-item';
import type { TidewatchConfig } from './config';
import type { TidewatchHttpApi } from './http-api';
import { InstrumentedFunction } from './instrumented-function';
import type { StatusTables } from './status-tables';

export interface ItemsApiProps {
  readonly api: TidewatchHttpApi;
  readonly tables: StatusTables;
  /** The work queues whose items are listed. */
  readonly workQueueNames: readonly string[];
  readonly config: Pick<TidewatchConfig, 'stage' | 'logLevel'>;
}

export class ItemsApi extends Construct {
  readonly listItems: InstrumentedFunction;

  constructor(scope: Construct, id: string, props: ItemsApiProps) {
    super(scope, id);
    const { statusTable } = props.tables;
    this.listItems = new InstrumentedFunction(this, 'ListItems', {
      name: 'list-items',
      config: props.config,
      environment: { [ENV.statusTable]: statusTable.tableName, [ENV.workQueueNames]: formatWorkQueueNames(props.workQueueNames) },
    });
    // Query on the one index it reads; never the table itself, never a scan.
    iam.Grant.addToPrincipal({
      grantee: this.listItems.function,
      actions: ['dynamodb:Query'],
      resourceArns: [`${statusTable.tableArn}/index/${STATUS_INDEXES.byQueue.indexName}`],
    });
    props.api.addLambdaRoute(HttpMethod.GET, ITEMS_ROUTE, this.listItems.function);
  }
}
