/**
 * fauxqs (SQS, SNS, S3) embedded through its `buildApp` so that it binds 127.0.0.1 only
 * (`startFauxqs` listens on every interface).
 */
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION } from '../template/resource-identity';
import type { Backend } from './backend';

/** fauxqs builds queue URLs as `http://sqs.<region>.<FAUXQS_QUEUE_HOST>:<port>/...`; the gateway rewrites them. */
export const FAUXQS_QUEUE_HOST = 'localhost';

export async function startFauxqsBackend(): Promise<Backend> {
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false, host: FAUXQS_QUEUE_HOST, defaultRegion: LOCAL_REGION });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { port, endpoint: `http://127.0.0.1:${port}`, stop: () => app.close() };
}
