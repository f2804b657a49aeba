/**
 * The naive file worker (batch size 1): read the upload and count its lines, move it to processed/
 * (copy, then delete), one PutItem, one log line. A failure throws: SQS redelivers, then dead-letters.
 */
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';

const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});

interface S3EventBody {
  readonly Records?: readonly { readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } } }[];
}

export async function handler(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    for (const { s3: entry } of (JSON.parse(record.body) as S3EventBody).Records ?? []) {
      const bucket = entry.bucket.name;
      const key = decodeURIComponent(entry.object.key.replace(/\+/g, ' '));
      const [, fileId, fileName] = key.split('/');
      const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
      const rowCount = Math.max(0, text.trimEnd().split('\n').length - 1);
      await s3.send(new CopyObjectCommand({ Bucket: bucket, CopySource: `${bucket}/${encodeURIComponent(key)}`, Key: `processed/${fileId}/${fileName}` }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await dynamodb.send(new PutItemCommand({
        TableName: process.env.TABLE_NAME,
        Item: { id: { S: fileId! }, kind: { S: 'file' }, status: { S: 'PROCESSED' }, fileName: { S: fileName! }, rowCount: { N: String(rowCount) }, updatedAt: { S: new Date().toISOString() } },
      }));
      console.log(JSON.stringify({ message: 'file processed', fileId, rowCount }));
    }
  }
}
