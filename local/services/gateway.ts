/**
 * The one AWS-compatible endpoint: an HTTP server on 127.0.0.1 that reads each request, asks the
 * router which service it is for and hands it to that service's handler; any error comes back in
 * the request's own protocol.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError, errorResponse, type Protocol } from './aws-errors';
import type { HandlerResult, InboundRequest } from './inbound';
import { readBody } from './proxy';
import { routeRequest, type RouteTarget } from './routing';

/** Answers one routed request; throws AwsServiceError for an AWS-style error. */
export type Dispatch = (request: InboundRequest, route: RouteTarget) => Promise<HandlerResult>;

export interface Gateway {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Installs the dispatcher once the services behind it exist; until then requests get 503. */
  setDispatch(dispatch: Dispatch): void;
  stop(): Promise<void>;
}

export async function startGateway(host: string, port: number, onWarning: (message: string) => void): Promise<Gateway> {
  let dispatch: Dispatch | undefined;
  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing, dispatch, onWarning);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${actualPort}`,
    port: actualPort,
    setDispatch: (next) => {
      dispatch = next;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(incoming: IncomingMessage, outgoing: ServerResponse, dispatch: Dispatch | undefined, onWarning: (message: string) => void) {
  let protocol: Protocol = 'rest-xml';
  let jsonErrorPrefix = '';
  try {
    const request: InboundRequest = {
      method: incoming.method ?? 'GET',
      url: incoming.url ?? '/',
      headers: incoming.headers,
      body: await readBody(incoming),
      remoteAddress: incoming.socket.remoteAddress ?? '127.0.0.1',
    };
    const route = routeRequest(request.method, request.url, request.headers, request.body);
    protocol = route.protocol;
    if (route.service === 'sqs') jsonErrorPrefix = 'com.amazonaws.sqs#';
    if (!dispatch) throw new AwsServiceError('ServiceUnavailable', 'the local cloud is still starting', 503);
    write(outgoing, await dispatch(request, route));
  } catch (error) {
    const known = error instanceof AwsServiceError;
    if (!known) onWarning(`gateway: ${incoming.method} ${incoming.url} failed: ${(error as Error).stack ?? String(error)}`);
    const awsError = known ? error : new AwsServiceError('InternalFailure', `the local cloud failed: ${(error as Error).message}`, 500);
    if (!outgoing.headersSent) write(outgoing, errorResponse(protocol, awsError, jsonErrorPrefix));
    else outgoing.destroy();
  }
}

function write(outgoing: ServerResponse, result: HandlerResult) {
  if ('stream' in result) {
    outgoing.writeHead(result.status, result.headers);
    result.stream.pipe(outgoing);
    return;
  }
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body);
  outgoing.writeHead(result.status, { ...result.headers, 'content-length': String(body.length) });
  outgoing.end(body);
}
