/**
 * fauxqs refuses request bodies over 11 MiB (its Fastify body limit), while S3 takes a single PUT of
 * up to 5 GiB and the upload limit here is 100 MiB. A larger PutObject is therefore stored through a
 * multipart upload of the same bytes; only the ETag differs from AWS (multipart form, `<md5>-<parts>`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import { AwsServiceError } from './aws-errors';
import { header, type ServiceResponse } from './local-service';

/** Bodies up to this size go to fauxqs as they are. */
export const DIRECT_PUT_LIMIT = 10 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;

export async function putLargeObject(s3: S3Client, bucket: string, key: string, body: Buffer, headers: IncomingHttpHeaders): Promise<ServiceResponse> {
  if ((header(headers, 'content-encoding') ?? '').includes('aws-chunked')) {
    throw new AwsServiceError('NotImplemented', 'a streamed (aws-chunked) PutObject over 10 MiB is not supported by the Tidewatch local cloud; use a multipart upload');
  }
  const { CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand } = await import('@aws-sdk/client-s3');
  const metadata = Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.startsWith('x-amz-meta-'))
      .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
  );
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: header(headers, 'content-type') ?? 'application/octet-stream', Metadata: metadata }),
  );
  try {
    const parts = [];
    for (let offset = 0, number = 1; offset < body.length; offset += PART_SIZE, number++) {
      const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: number, Body: body.subarray(offset, offset + PART_SIZE) }));
      parts.push({ ETag: part.ETag, PartNumber: number });
    }
    const completed = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    return { status: 200, headers: { etag: completed.ETag ?? '', 'x-amz-request-id': completed.$metadata.requestId ?? '' } };
  } catch (error) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw error;
  }
}
