/**
 * Binding the runtime's HTTP servers. They bind before they can serve: the services resolve `ApiUrl`
 * and `DownloadUrl` from the real ports (0 in tests) before the runtime is wired to them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export interface BoundServer {
  /** `http://<host>:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Closes the server and its idle keep-alive connections. */
  close(): Promise<void>;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Listens on `host:port` (0 picks a free port); a taken port fails with a message naming `purpose`. */
export function bindHttpServer(options: { readonly port: number; readonly host: string }, purpose: string, handle: RequestHandler): Promise<BoundServer> {
  const server = createServer((request, response) => {
    // A client that went away mid-request leaves nothing to answer.
    handle(request, response).catch(() => response.destroy());
  });
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(`port ${options.port} on ${options.host} is already in use, so the ${purpose} cannot start: stop whatever holds it or choose another port`));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host}:${port}`,
        port,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

/** Answer of a server bound but not yet serving. */
export function serviceUnavailable(response: ServerResponse): void {
  response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Service Unavailable' }));
}
