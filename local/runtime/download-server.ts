/**
 * The local CloudFront distribution: GET and HEAD of objects under the served prefixes (`processed/`,
 * the console's `site/`), read from the private bucket through the S3 API, as CloudFront reads them
 * through origin access control; the root redirects to the console, as the default behavior's function
 * does. Everything else gets CloudFront's answers: 404 from the default behavior's viewer-request
 * function, 403 AccessDenied from S3 for a key that does not exist (OAC grants no ListBucket), 403 for
 * a method other than GET and HEAD.
 */
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { CONSOLE_INDEX_PATH } from '../../contract/console-config';
import { DashboardRoutes } from '../dashboard/dashboard-routes';
import { listen, serviceUnavailable, type ListenOptions, type ListeningServer } from '../listen';

export interface DownloadConfig {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Key prefixes the distribution serves (`processed/`). */
  readonly prefixes: readonly string[];
}

/** The managed SecurityHeadersPolicy the delivery construct attaches to every behavior. */
const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'x-xss-protection': '1; mode=block',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const ACCESS_DENIED = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

export class DownloadServer {
  private config: DownloadConfig | undefined;
  private dashboard: DashboardRoutes | undefined;

  private constructor(private readonly bound: ListeningServer) {}

  /** Binds the port; requests get 503 until `serve` names the bucket. */
  static async listen(options: Omit<ListenOptions, 'purpose'>): Promise<DownloadServer> {
    let downloads: DownloadServer | undefined;
    const bound = await listen({ ...options, purpose: 'local CloudFront' }, (request, response) =>
      downloads ? downloads.handle(request, response) : serviceUnavailable(response),
    );
    downloads = new DownloadServer(bound);
    return downloads;
  }

  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  get url(): string {
    return this.bound.url;
  }

  get port(): number {
    return this.bound.port;
  }

  serve(config: DownloadConfig): void {
    this.config = config;
  }

  /** Serves the on-call dashboard under `/dashboard`, beside the distribution's objects. */
  serveDashboard(dashboard: DashboardRoutes): void {
    this.dashboard = dashboard;
  }

  close(): Promise<void> {
    return this.bound.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, headers: Record<string, string>, body = '') => {
      response.writeHead(status, { ...SECURITY_HEADERS, 'x-cache': 'Error from cloudfront', ...headers, 'content-length': String(Buffer.byteLength(body)) });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (this.dashboard && DashboardRoutes.owns(request.url ?? '/')) return this.dashboard.handle(request, response);
    const config = this.config;
    if (!config) return serviceUnavailable(response);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(403, { 'content-type': 'text/plain' }, 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    // lib/delivery.ts's viewer-request function, which is not run locally, answers the root so.
    if ((request.url ?? '/').split('?')[0] === '/') return send(302, { location: CONSOLE_INDEX_PATH });
    const key = objectKey(request.url ?? '/');
    if (key === undefined || !config.prefixes.some((prefix) => key.startsWith(prefix))) return send(404, {});

    let object: GetObjectCommandOutput;
    try {
      object = await config.s3.send(
        new GetObjectCommand({
          Bucket: config.bucket,
          Key: key,
          IfNoneMatch: request.headers['if-none-match'],
          Range: request.headers.range,
        }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 304) return send(304, { 'x-cache': 'Hit from cloudfront' });
      if (status === 416) return send(416, {});
      return send(403, { 'content-type': 'application/xml' }, ACCESS_DENIED);
    }
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'x-cache': 'Miss from cloudfront', 'accept-ranges': 'bytes' };
    if (object.ContentType) headers['content-type'] = object.ContentType;
    if (object.ContentLength !== undefined) headers['content-length'] = String(object.ContentLength);
    if (object.ETag) headers.etag = object.ETag;
    if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
    if (object.ContentRange) headers['content-range'] = object.ContentRange;
    if (object.CacheControl) headers['cache-control'] = object.CacheControl;
    response.writeHead(object.ContentRange ? 206 : 200, headers);
    const body = object.Body as Readable;
    if (request.method === 'HEAD') {
      body.destroy();
      response.end();
    } else {
      body.pipe(response);
    }
  }
}

/** The object key a path names (percent-decoded, as S3 decodes it), or undefined when it is not decodable. */
function objectKey(url: string): string | undefined {
  try {
    return decodeURIComponent((url.split('?')[0] as string).slice(1));
  } catch {
    return undefined;
  }
}
