/**
 * The S3 operation of a REST request the local cloud served (the registry names none for S3's REST
 * fallback), by method, path and headers: enough to put it in its billing tier. Written by hand: the
 * SDK only names operations on the way out.
 */
import type { InboundRequest } from '../../local/services/local-service';

export function s3Operation(request: InboundRequest): string {
  const [path, query = ''] = request.url.split('?', 2);
  const params = new URLSearchParams(query);
  // Path-style: /<bucket>/<key>; a key makes it an object operation.
  const onObject = path.split('/').filter(Boolean).length > 1;
  switch (request.method) {
    case 'PUT':
      if (!onObject) return 'CreateBucket';
      if (params.has('uploadId')) return 'UploadPart';
      return request.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
    case 'GET':
      return onObject ? 'GetObject' : params.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'HEAD':
      return onObject ? 'HeadObject' : 'HeadBucket';
    case 'DELETE':
      return onObject ? 'DeleteObject' : 'DeleteBucket';
    case 'POST':
      if (params.has('delete')) return 'DeleteObjects';
      if (params.has('uploads')) return 'CreateMultipartUpload';
      return params.has('uploadId') ? 'CompleteMultipartUpload' : 'PostObject';
    default:
      return request.method;
  }
}
