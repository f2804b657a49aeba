/**
 * DynamoDB at the gateway: dynalite answers the data-plane and table actions it implements; the
 * time-to-live settings (absent from dynalite) are kept and answered here. Items are not expired
 * locally: readers that care (Powertools idempotency) check the expiry attribute themselves.
 */
import type { Backend } from './backend';
import { AwsServiceError } from './aws-errors';
import type { HandlerResult, InboundRequest, LocalService, Route } from './local-service';
import type { Proxy } from './proxy';

/** What dynalite 4 implements. */
const DYNALITE_ACTIONS = [
  'BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'GetItem', 'ListTables',
  'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable',
];

export class DynamoDbService implements LocalService {
  readonly name = 'DynamoDB';
  readonly routes = { signingName: 'dynamodb', targetPrefix: 'DynamoDB_20120810', protocol: 'json' } as const;
  readonly supports = [...DYNALITE_ACTIONS, 'UpdateTimeToLive', 'DescribeTimeToLive'];

  /** Table name → TTL attribute, for tables with TTL enabled. */
  private readonly timeToLive = new Map<string, string>();

  constructor(
    private readonly proxy: Proxy,
    private readonly dynalite: Backend,
  ) {}

  /** Records a table's TTL attribute (provisioning and `UpdateTimeToLive`). */
  setTimeToLive(tableName: string, attributeName: string | undefined): void {
    if (attributeName) this.timeToLive.set(tableName, attributeName);
    else this.timeToLive.delete(tableName);
  }

  async handle(request: InboundRequest, { action }: Route): Promise<HandlerResult> {
    if (action === 'UpdateTimeToLive' || action === 'DescribeTimeToLive') return this.timeToLiveAction(request, action);
    return this.proxy.exchange(this.dynalite, request);
  }

  private async timeToLiveAction(request: InboundRequest, action: 'UpdateTimeToLive' | 'DescribeTimeToLive'): Promise<HandlerResult> {
    const input = JSON.parse(request.body.toString('utf8') || '{}') as { TableName?: string; TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean } };
    const tableName = input.TableName ?? '';
    // DescribeTable through dynalite: a missing table gets dynalite's own ResourceNotFoundException.
    const describe = await this.proxy.exchange(this.dynalite, {
      ...request,
      headers: { ...request.headers, 'x-amz-target': 'DynamoDB_20120810.DescribeTable' },
      body: Buffer.from(JSON.stringify({ TableName: tableName })),
    });
    if (describe.status !== 200) return describe;
    if (action === 'UpdateTimeToLive') {
      const specification = input.TimeToLiveSpecification;
      if (!specification?.AttributeName || specification.Enabled === undefined) {
        throw new AwsServiceError('ValidationException', 'TimeToLiveSpecification needs AttributeName and Enabled.');
      }
      this.setTimeToLive(tableName, specification.Enabled ? specification.AttributeName : undefined);
      return json({ TimeToLiveSpecification: specification });
    }
    const attributeName = this.timeToLive.get(tableName);
    return json({ TimeToLiveDescription: attributeName ? { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName } : { TimeToLiveStatus: 'DISABLED' } });
  }
}

function json(result: unknown): HandlerResult {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(result) };
}
