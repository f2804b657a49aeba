/** `--keep`: DynamoDB data survives a restart under the data directory; without it every start is fresh. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalServices } from '../../../local/services';
import type { SynthesizedStack } from '../../../local/template/model';
import { TEST_CREDENTIALS } from './harness';

const STACK: SynthesizedStack = {
  stackName: 'Keep-local',
  template: {
    Resources: {
      Status: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'keep-status',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        },
      },
    },
  },
};

async function withServices<T>(options: { dataDir: string; keep: boolean }, use: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const services = await startLocalServices({ port: 0, apiPort: 3920, downloadPort: 3921, template: STACK, ...options });
  const client = new DynamoDBClient({ endpoint: services.endpoint, region: services.region, credentials: TEST_CREDENTIALS });
  try {
    return await use(client);
  } finally {
    client.destroy();
    await services.stop();
  }
}

const getItem = (client: DynamoDBClient) => client.send(new GetItemCommand({ TableName: 'keep-status', Key: { id: { S: 'kept' } } }));

describe('keeping data across starts', () => {
  it('keeps DynamoDB items with keep, starts empty without', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tidewatch-data-'));
    await withServices({ dataDir, keep: true }, (client) => client.send(new PutItemCommand({ TableName: 'keep-status', Item: { id: { S: 'kept' } } })));
    const kept = await withServices({ dataDir, keep: true }, getItem);
    expect(kept.Item).toEqual({ id: { S: 'kept' } });
    const fresh = await withServices({ dataDir, keep: false }, getItem);
    expect(fresh.Item).toBeUndefined();
  });
});
