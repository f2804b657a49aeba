/**
 * How the cost benchmark turns a request the local cloud served into AWS's billing units: DynamoDB
 * request units from the action and body, the S3 operation (hence its tier) from a REST request.
 */
import { describe, expect, it } from 'vitest';
import { dynamoDbCapacity } from '../../bench/cost/dynamodb-capacity';
import { s3Operation } from '../../bench/cost/s3-operation';
import type { InboundRequest } from '../../local/services/local-service';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('dynamoDbCapacity', () => {
  it.each([
    ['PutItem', {}, { writeUnits: 1, readUnits: 0 }],
    ['UpdateItem', { ConditionExpression: 'attribute_exists(id)' }, { writeUnits: 1, readUnits: 0 }],
    ['GetItem', { ConsistentRead: true }, { writeUnits: 0, readUnits: 1 }],
    ['GetItem', {}, { writeUnits: 0, readUnits: 0.5 }],
    ['TransactWriteItems', { TransactItems: [{}, {}] }, { writeUnits: 4, readUnits: 0 }],
    ['BatchWriteItem', { RequestItems: { a: [{}, {}, {}], b: [{}] } }, { writeUnits: 4, readUnits: 0 }],
    ['BatchGetItem', { RequestItems: { a: { Keys: [{}, {}], ConsistentRead: true }, b: { Keys: [{}] } } }, { writeUnits: 0, readUnits: 2.5 }],
    ['DescribeTable', {}, { writeUnits: 0, readUnits: 0 }],
  ])('%s %j consumes %j', (action, request, capacity) => {
    expect(dynamoDbCapacity(action, body(request))).toEqual(capacity);
  });
});

describe('s3Operation', () => {
  const request = (method: string, url: string, headers: Record<string, string> = {}): InboundRequest => ({ method, url, headers, body: Buffer.alloc(0), remoteAddress: '127.0.0.1' });

  it.each([
    [request('PUT', '/bucket/uploads/a/x.csv?X-Amz-Signature=abc'), 'PutObject'],
    [request('PUT', '/bucket/processed/a/x.csv', { 'x-amz-copy-source': 'bucket/uploads/a/x.csv' }), 'CopyObject'],
    [request('GET', '/bucket/uploads/a/x.csv'), 'GetObject'],
    [request('GET', '/bucket?list-type=2&prefix=reports/'), 'ListObjectsV2'],
    [request('HEAD', '/bucket/uploads/a/x.csv'), 'HeadObject'],
    [request('DELETE', '/bucket/uploads/a/x.csv'), 'DeleteObject'],
    [request('POST', '/bucket?delete'), 'DeleteObjects'],
  ])('%o is %s', (served, operation) => {
    expect(s3Operation(served)).toBe(operation);
  });
});
