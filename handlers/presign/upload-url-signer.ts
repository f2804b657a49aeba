/**
 * Presigned S3 PUT URLs from the SDK's S3 presigner alone (Signature V4 over the Lambda credential
 * provider chain), without an S3 client: presigning sends no request, and an S3 client's module (every
 * operation's schema, its endpoint rules, checksums) made a third of the presign function's cold start
 * (bench/coldstart.ts). The URL is the one the client would build for a PUT with no checksum: the
 * virtual-hosted-style regional endpoint, or `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` when set (the local
 * cloud's), path-style when that endpoint is an IP address or the bucket name is no DNS label, as S3's
 * endpoint rules have it.
 */
import { partition } from '@aws-sdk/core/client';
import { lambdaCredentials } from '../shared/lambda-credentials';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { buildQueryString, extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';

export interface UploadUrlRequest {
  readonly bucket: string;
  readonly key: string;
  /** Headers the client must send, signed into the URL (e.g. Content-Type, Content-Length). */
  readonly headers: Record<string, string>;
  readonly expiresInSeconds: number;
}

export type UploadUrlSigner = (request: UploadUrlRequest) => Promise<string>;

/** A bucket S3 serves as `<bucket>.<endpoint host>`: one DNS label, not an IP address. */
const VIRTUAL_HOSTABLE_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i;

export function uploadUrlSigner(env: NodeJS.ProcessEnv = process.env): UploadUrlSigner {
  // Read at the first signing, as an S3 client reads its region: loading the handler needs none.
  let signing: { endpoint: URL; presigner: S3RequestPresigner } | undefined;
  const setUp = () => {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('AWS_REGION is not set');
    const customEndpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    return {
      endpoint: new URL(customEndpoint ?? `https://s3.${region}.${partition(region).dnsSuffix}`),
      presigner: new S3RequestPresigner({ region, credentials: lambdaCredentials, sha256: Hash.bind(null, 'sha256') }),
    };
  };
  return async ({ bucket, key, headers, expiresInSeconds }) => {
    const { endpoint, presigner } = (signing ??= setUp());
    const pathStyle = IP_ADDRESS.test(endpoint.hostname) || !VIRTUAL_HOSTABLE_BUCKET.test(bucket) || IP_ADDRESS.test(bucket);
    const hostname = pathStyle ? endpoint.hostname : `${bucket}.${endpoint.hostname}`;
    const basePath = endpoint.pathname.replace(/\/$/, '');
    const objectPath = key.split('/').map(extendedEncodeURIComponent).join('/');
    const request = new HttpRequest({
      method: 'PUT',
      protocol: endpoint.protocol,
      hostname,
      port: endpoint.port === '' ? undefined : Number(endpoint.port),
      path: pathStyle ? `${basePath}/${bucket}/${objectPath}` : `${basePath}/${objectPath}`,
      headers: { ...headers },
      query: { 'x-id': 'PutObject' },
    });
    const presigned = await presigner.presign(request, {
      expiresIn: expiresInSeconds,
      // Sign exactly the headers given (the presigner would leave Content-Type unsigned otherwise).
      signableHeaders: new Set(Object.keys(headers).map((name) => name.toLowerCase())),
    });
    const port = presigned.port === undefined ? '' : `:${presigned.port}`;
    return `${presigned.protocol}//${presigned.hostname}${port}${presigned.path}?${buildQueryString(presigned.query ?? {})}`;
  };
}
