/**
 * Test-only state behind the mocked SDK clients of the file worker tests: the upload bucket's objects, the
 * idempotency table and the status table's content-hash claims. Each answers the way the service does
 * for the calls the worker makes (conditional writes included), so a test can deliver the same object or
 * the same content twice and see what the worker does the second time.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';

const conditionFailed = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: item } : {}) });

/** Objects by key; GetObject answers with a real Node stream of their bytes, as the SDK does. */
export function fakeBucket(s3: AwsClientStub<S3Client>): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = objects.get(input.Key);
    if (body === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return { Body: sdkStreamMixin(Readable.from([body])), ContentLength: body.length };
  });
  s3.on(CopyObjectCommand).resolves({});
  s3.on(DeleteObjectCommand).resolves({});
  return objects;
}

/** The Powertools idempotency table: conditional put of a new key, update, delete, get. */
export function fakeIdempotencyTable(dynamodb: AwsClientStub<DynamoDBClient>): Map<string, Record<string, AttributeValue>> {
  const items = new Map<string, Record<string, AttributeValue>>();
  const idOf = (key: Record<string, AttributeValue> | undefined) => key?.id?.S ?? '';
  dynamodb.on(PutItemCommand).callsFake((input: { Item: Record<string, AttributeValue> }) => {
    const existing = items.get(idOf(input.Item));
    if (existing) throw conditionFailed(existing);
    items.set(idOf(input.Item), input.Item);
    return {};
  });
  dynamodb.on(UpdateItemCommand).callsFake((input: { Key: Record<string, AttributeValue>; ExpressionAttributeValues: Record<string, AttributeValue> }) => {
    const values = input.ExpressionAttributeValues;
    items.set(idOf(input.Key), {
      ...items.get(idOf(input.Key)),
      ...input.Key,
      status: values[':status']!,
      expiration: values[':expiry']!,
      ...(values[':response_data'] ? { data: values[':response_data'] } : {}),
    });
    return {};
  });
  dynamodb.on(DeleteItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
    items.delete(idOf(input.Key));
    return {};
  });
  dynamodb.on(GetItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => ({ Item: items.get(idOf(input.Key)) }));
  return items;
}

/** The status table: item updates succeed; content-hash claims are first-writer-wins, released only by their owner. */
export function fakeStatusTable(documents: AwsClientStub<DynamoDBDocumentClient>): Map<string, string> {
  const claims = new Map<string, string>();
  documents.on(UpdateCommand).resolves({});
  documents.on(PutCommand).callsFake((input: { Item: { id: string; fileId: string } }) => {
    if (claims.has(input.Item.id)) throw conditionFailed();
    claims.set(input.Item.id, input.Item.fileId);
    return {};
  });
  documents.on(GetCommand).callsFake((input: { Key: { id: string } }) => {
    const fileId = claims.get(input.Key.id);
    return { Item: fileId === undefined ? undefined : { id: input.Key.id, kind: 'content', fileId } };
  });
  documents.on(DeleteCommand).callsFake((input: { Key: { id: string }; ExpressionAttributeValues: { ':fileId': string } }) => {
    if (claims.get(input.Key.id) !== input.ExpressionAttributeValues[':fileId']) throw conditionFailed();
    claims.delete(input.Key.id);
    return {};
  });
  return claims;
}
