import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadServer } from '../../../local/runtime/download-server';
import { startLocalServices } from '../../../local/services';
import type { LocalServices } from '../../../local/template/model';

let services: LocalServices;
let s3: S3Client;
let downloads: DownloadServer;
const csv = 'id,name\n1,"Smith, Jane"\n';

beforeAll(async () => {
  // The real local endpoint with an empty stack; the test creates its bucket.
  services = await startLocalServices({ port: 0, apiPort: 0, downloadPort: 0, template: { stackName: 'RuntimeTest', template: { Resources: {} } } });
  s3 = new S3Client({ endpoint: services.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'files' }));
  for (const key of ['processed/1234/people list.csv', 'uploads/1234/people list.csv']) {
    await s3.send(new PutObjectCommand({ Bucket: 'files', Key: key, Body: csv, ContentType: 'text/csv' }));
  }
  downloads = await DownloadServer.listen({ port: 0, host: '127.0.0.1' });
  downloads.serve({ s3, bucket: 'files', prefixes: ['processed/'] });
});

afterAll(async () => {
  await downloads.close();
  s3.destroy();
  await services.stop();
});

describe('DownloadServer (local CloudFront)', () => {
  const url = () => `${downloads.url}/processed/1234/people%20list.csv`;

  it('streams an object under processed/ with its content type, length and ETag', async () => {
    const response = await fetch(url());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(csv);
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(csv)));
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers HEAD without a body, 304 on a matching If-None-Match and 206 for a range', async () => {
    const head = await fetch(url(), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, String(Buffer.byteLength(csv)), '']);
    const notModified = await fetch(url(), { headers: { 'if-none-match': head.headers.get('etag') as string } });
    expect(notModified.status).toBe(304);
    const range = await fetch(url(), { headers: { range: 'bytes=0-1' } });
    expect([range.status, await range.text()]).toEqual([206, 'id']);
  });

  it('serves nothing outside processed/: 404 from the default behavior', async () => {
    for (const path of ['/uploads/1234/people%20list.csv', '/', '/processed']) {
      expect((await fetch(`${downloads.url}${path}`)).status).toBe(404);
    }
  });

  it('answers 403 AccessDenied for a missing key and for methods other than GET and HEAD', async () => {
    const missing = await fetch(`${downloads.url}/processed/nope.csv`);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('<Code>AccessDenied</Code>');
    expect((await fetch(url(), { method: 'DELETE' })).status).toBe(403);
  });
});
