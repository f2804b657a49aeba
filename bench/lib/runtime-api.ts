/**
 * The Lambda Runtime API for one invocation, on 127.0.0.1: the first `GET /invocation/next` gets the
 * event with the headers Lambda sends (request id, deadline, function ARN, a sampled X-Ray trace), and
 * the runtime's answer, an invocation error or an init error settles `answer`. Like Lambda's, its
 * clock marks the end of init at the runtime's first `next` and the end of the invocation at its answer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The handler's answer, and when (epoch ms) the runtime asked for the event and posted the answer. */
export interface RuntimeAnswer {
  readonly result: unknown;
  readonly nextAt: number;
  readonly answeredAt: number;
}

export interface RuntimeApi {
  /** `host:port`, for AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Settles when the runtime has taken the event: init is over. */
  readonly invoked: Promise<void>;
  readonly answer: Promise<RuntimeAnswer>;
  close(): void;
}

const PREFIX = '/2018-06-01/runtime';

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString())).on('error', reject);
  });

/** Epoch milliseconds with sub-millisecond precision, comparable with another process's `performance.timeOrigin`. */
const epochNow = () => performance.timeOrigin + performance.now();

export async function openRuntimeApi(event: unknown, functionArn: string, timeoutSeconds: number): Promise<RuntimeApi> {
  const requestId = randomUUID();
  const traceId = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
  let nextAt: number | undefined;
  let settle!: { resolve: (value: RuntimeAnswer) => void; reject: (error: Error) => void };
  const answer = new Promise<RuntimeAnswer>((resolve, reject) => (settle = { resolve, reject }));
  let markInvoked!: () => void;
  const invoked = new Promise<void>((resolve) => (markInvoked = resolve));
  const server = createServer((request, response) => {
    readBody(request).then((body) => {
      const at = epochNow();
      const url = request.url ?? '';
      if (request.method === 'GET' && url === `${PREFIX}/invocation/next` && nextAt === undefined) {
        nextAt = at;
        markInvoked();
        response.writeHead(200, {
          'Content-Type': 'application/json',
          'Lambda-Runtime-Aws-Request-Id': requestId,
          'Lambda-Runtime-Deadline-Ms': String(Date.now() + timeoutSeconds * 1000),
          'Lambda-Runtime-Invoked-Function-Arn': functionArn,
          'Lambda-Runtime-Trace-Id': traceId,
        });
        response.end(JSON.stringify(event));
        return;
      }
      if (request.method === 'POST' && url === `${PREFIX}/invocation/${requestId}/response` && nextAt !== undefined) {
        settle.resolve({ result: JSON.parse(body), nextAt, answeredAt: at });
      } else if (request.method === 'POST' && (url === `${PREFIX}/init/error` || url === `${PREFIX}/invocation/${requestId}/error`)) {
        settle.reject(new Error(`runtime reported ${url.slice(PREFIX.length)}: ${body}`));
      } else {
        settle.reject(new Error(`unexpected Runtime API request: ${request.method} ${url}`));
        response.writeHead(400).end();
        return;
      }
      response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
    }).catch((error: Error) => {
      // A request cut off (the process killed mid-request) or an answer that is not JSON.
      settle.reject(error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    invoked,
    answer,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
