/** dynalite (DynamoDB): in memory, or LevelDB files under a data directory when data is kept. */
import type { Server } from 'node:http';
import { listen } from '../listen';
import type { Backend } from './backend';

export interface DynaliteBackendOptions {
  /** LevelDB directory; in memory when undefined. */
  readonly path?: string;
}

export async function startDynaliteBackend(options: DynaliteBackendOptions): Promise<Backend> {
  const { default: dynalite } = await import('dynalite');
  // Tables are ACTIVE at once: nothing waits on CREATING locally.
  const server: Server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const bound = await listen({ host: '127.0.0.1', port: 0, purpose: 'DynamoDB emulator (dynalite)' }, server);
  return { port: bound.port, endpoint: bound.url, stop: () => bound.close() };
}
