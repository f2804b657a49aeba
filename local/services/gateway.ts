/**
 * The one AWS-compatible endpoint: an HTTP server that reads each request, has the service registry
 * route it and hands it to that service; any error comes back in the request's own protocol.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { listen } from '../listen';
import { AwsServiceError, errorResponse } from './aws-errors';
import type { HandlerResult, InboundRequest, Protocol } from './local-service';
import { readBody } from './proxy';
import type { ServiceRegistry } from './service-registry';

export interface GatewayOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly registry: ServiceRegistry;
  readonly onWarning: (message: string) => void;
  /** Added before each answer: a network round trip, as a client in AWS has to its service. @default 0 */
  readonly latencyMs?: number;
}

export interface Gateway {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Starts serving once the services behind it are provisioned; until then requests get 503. */
  open(): void;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  let open = false;
  const server = await listen({ host: options.host, port: options.port, purpose: 'local AWS endpoint' }, (incoming, outgoing) =>
    serve(incoming, outgoing, options, open),
  );
  return {
    endpoint: server.url,
    port: server.port,
    open: () => {
      open = true;
    },
    stop: () => server.close(),
  };
}

async function serve(incoming: IncomingMessage, outgoing: ServerResponse, { registry, onWarning, latencyMs = 0 }: GatewayOptions, open: boolean) {
  let protocol: Protocol = 'rest-xml';
  let jsonErrorPrefix = '';
  // From the request's arrival: every answer, an error too, takes at least the round trip.
  const roundTrip = latencyMs > 0 ? delay(latencyMs) : undefined;
  try {
    const request: InboundRequest = {
      method: incoming.method ?? 'GET',
      url: incoming.url ?? '/',
      headers: incoming.headers,
      body: await readBody(incoming),
      remoteAddress: incoming.socket.remoteAddress ?? '127.0.0.1',
    };
    const routed = registry.route(request);
    protocol = routed.protocol;
    jsonErrorPrefix = routed.service?.jsonErrorPrefix ?? '';
    if (!open) throw new AwsServiceError('ServiceUnavailable', 'the local cloud is still starting', 503);
    const answer = await registry.dispatch(request, routed);
    await roundTrip;
    write(outgoing, answer);
  } catch (error) {
    const known = error instanceof AwsServiceError;
    if (!known) onWarning(`gateway: ${incoming.method} ${incoming.url} failed: ${(error as Error).stack ?? String(error)}`);
    const awsError = known ? error : new AwsServiceError('InternalFailure', `the local cloud failed: ${(error as Error).message}`, 500);
    await roundTrip;
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
