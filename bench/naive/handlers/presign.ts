/** The naive POST /presign: a presigned PUT URL under uploads/<fileId>/, one log line. */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const s3 = new S3Client({});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = JSON.parse(event.body ?? '{}') as { fileName?: string; contentType?: string };
  const fileId = randomUUID();
  const key = `uploads/${fileId}/${body.fileName ?? 'upload.csv'}`;
  const contentType = body.contentType ?? 'text/csv';
  const uploadUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: key, ContentType: contentType }), { expiresIn: 300 });
  console.log(JSON.stringify({ message: 'presigned', key }));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uploadUrl, fileId, headers: { 'content-type': contentType } }) };
}
