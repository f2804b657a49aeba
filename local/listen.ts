/**
 * The one way every local server binds: the AWS endpoint, the HTTP API, the local CloudFront, dynalite
 * and the tests' own servers. Binds `host:port` (0 picks a free port), names the server's purpose when
 * the port is taken, and closes without hanging on keep-alive connections or requests in flight.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The port is held by another process; the message names the server that could not start. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  /** The system error's code, for callers that tell a busy port from other failures. */
  readonly code = 'EADDRINUSE';

  constructor(port: number, host: string, purpose: string) {
    super(`port ${port} on ${host} is already in use, so the ${purpose} cannot start: stop whatever holds it or choose another port (EADDRINUSE)`);
  }
}

export interface ListenOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** What the server is, for the port-in-use message: `local HTTP API`. */
  readonly purpose: string;
  /**
   * How long `close()` lets requests in flight finish before cutting their connections. 0 cuts them at
   * once (a long poll must not hold a stopping local cloud). @default 0
   */
  readonly closeGraceMs?: number;
}

export interface ListeningServer {
  /** `http://<host>:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes idle connections, cuts requests still running after the grace; resolves once every connection is gone. */
  close(): Promise<void>;
}

/** Answers one request; a rejection (a client that went away mid-request) ends the connection. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** Listens with `handler`, or binds a server built elsewhere (dynalite builds its own). */
export function listen(options: ListenOptions, handler: RequestHandler | Server): Promise<ListeningServer> {
  const server =
    typeof handler === 'function'
      ? createServer((request, response) => {
          Promise.resolve(handler(request, response)).catch(() => response.destroy());
        })
      : handler;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, options.host, options.purpose) : error);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://${options.host}:${port}`, port, close: closer(server, options.closeGraceMs ?? 0) });
    });
  });
}

/** Answer of a server bound but not yet serving. */
export function serviceUnavailable(response: ServerResponse): void {
  response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Service Unavailable' }));
}

function closer(server: Server, graceMs: number): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closed;
  };
}
