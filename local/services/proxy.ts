/** Forwards a gateway request to an emulator over a keep-alive connection. */
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { ServiceResponse } from './local-service';
import type { Backend } from './backend';

/** Hop-by-hop headers, and those the proxy recomputes for the buffered body. */
const DROPPED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade', 'proxy-connection']);

export interface ForwardRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export class Proxy {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  /** Sends the request on; `host` replaces the Host header when the emulator builds URLs from it. */
  forward(backend: Backend, forwarded: ForwardRequest, host?: string): Promise<IncomingMessage> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(forwarded.headers)) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) headers[name] = value;
    }
    if (host) headers.host = host;
    headers['content-length'] = String(forwarded.body.length);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port: backend.port, method: forwarded.method, path: forwarded.url, headers, agent: this.agent },
        resolve,
      );
      outgoing.on('error', reject);
      outgoing.end(forwarded.body);
    });
  }

  /** Forwards and reads the whole answer (for small API responses the gateway may rewrite). */
  async exchange(backend: Backend, forwarded: ForwardRequest, host?: string): Promise<ServiceResponse & { body: Buffer; headers: Record<string, string> }> {
    const response = await this.forward(backend, forwarded, host);
    return { status: response.statusCode ?? 502, headers: responseHeaders(response), body: await readBody(response) };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The emulator's response headers; `streamed` keeps its Content-Length (HEAD answers and piped bodies need it). */
export function responseHeaders(response: IncomingMessage, streamed = false): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    const kept = !DROPPED_HEADERS.has(name) || (streamed && name === 'content-length');
    if (value !== undefined && kept) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
