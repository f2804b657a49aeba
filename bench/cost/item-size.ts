/**
 * The largest item in any of the cloud's tables, sized as DynamoDB bills it (attribute names and values;
 * a number by its digits): the benchmark prices every write at one 1 KB write unit, this checks it.
 * Read after the measured phases, so its scans are not counted.
 */
import { DynamoDBClient, ListTablesCommand, paginateScan, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from '../../local/cloud';

export async function largestItemBytes(cloud: LocalCloud): Promise<number> {
  const dynamodb = new DynamoDBClient({ endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    let largest = 0;
    for (const TableName of (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []) {
      for await (const page of paginateScan({ client: dynamodb }, { TableName })) {
        for (const item of page.Items ?? []) largest = Math.max(largest, itemBytes(item));
      }
    }
    return largest;
  } finally {
    dynamodb.destroy();
  }
}

function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/[-.]/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + Math.ceil(n.length / 2) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueBytes(element), 0);
  return 0;
}
