/** dynalite (DynamoDB): in memory, or LevelDB files under a data directory when data is kept. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend } from './backend';

export interface DynaliteBackendOptions {
  /** LevelDB directory; in memory when undefined. */
  readonly path?: string;
}

export async function startDynaliteBackend(options: DynaliteBackendOptions): Promise<Backend> {
  const { default: dynalite } = await import('dynalite');
  // Tables are ACTIVE at once: nothing waits on CREATING locally.
  const server: Server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      }),
  };
}
