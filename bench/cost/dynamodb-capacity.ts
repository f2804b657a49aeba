/**
 * The request units a DynamoDB request consumes on an on-demand table, from its action and body. Items
 * are taken to fit one unit (1 KB written, 4 KB read): the benchmark checks the largest item it wrote.
 * A conditional write that fails still consumes its write unit; an eventually consistent read half a
 * read unit; a transaction twice.
 */
export interface Capacity {
  readonly writeUnits: number;
  readonly readUnits: number;
}

interface Body {
  readonly ConsistentRead?: boolean;
  readonly RequestItems?: Record<string, unknown[] | { Keys?: unknown[]; ConsistentRead?: boolean }>;
  readonly TransactItems?: unknown[];
}

export function dynamoDbCapacity(action: string, rawBody: Buffer): Capacity {
  const body = JSON.parse(rawBody.toString('utf8') || '{}') as Body;
  const read = (consistent: boolean | undefined) => (consistent ? 1 : 0.5);
  switch (action) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { writeUnits: 1, readUnits: 0 };
    case 'BatchWriteItem':
      return { writeUnits: Object.values(body.RequestItems ?? {}).reduce((sum, writes) => sum + (Array.isArray(writes) ? writes.length : 0), 0), readUnits: 0 };
    case 'TransactWriteItems':
      return { writeUnits: 2 * (body.TransactItems?.length ?? 0), readUnits: 0 };
    case 'GetItem':
    case 'Query':
    case 'Scan':
      return { writeUnits: 0, readUnits: read(body.ConsistentRead) };
    case 'BatchGetItem':
      return {
        writeUnits: 0,
        readUnits: Object.values(body.RequestItems ?? {}).reduce((sum, reads) => sum + (Array.isArray(reads) ? 0 : (reads.Keys?.length ?? 0) * read(reads.ConsistentRead)), 0),
      };
    case 'TransactGetItems':
      return { writeUnits: 0, readUnits: 2 * (body.TransactItems?.length ?? 0) };
    default:
      return { writeUnits: 0, readUnits: 0 };
  }
}
