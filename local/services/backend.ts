/** An emulator the gateway forwards to, listening on 127.0.0.1. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders, RequestListener } from 'node:http';
import { inject, type InjectOptions, type Response } from 'light-my-request';

/** A request the gateway hands on, its body read. */
export interface ForwardRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** An emulator's whole answer, as it wrote it. */
export interface BackendAnswer {
  readonly statusCode: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

export interface Backend {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /**
   * Hands a request to the emulator's own request listener inside this process, as its server would,
   * without a socket: the same request in, the same answer out, minus two HTTP encodings and a loopback
   * round trip on the thread that runs every emulator.
   */
  dispatch(request: ForwardRequest): Promise<BackendAnswer>;
  stop(): Promise<void>;
}

/** Injects one request into an emulator: light-my-request's `inject`, bound to the emulator's listener. */
type Injector = (options: InjectOptions) => Promise<Response>;

/** `dispatch` through an injector (Fastify's own `inject`, or light-my-request's on a plain request listener). */
export function dispatchWith(injector: Injector): Backend['dispatch'] {
  return async ({ method, url, headers, body }) => {
    const response = await injector({ method: method as InjectOptions['method'], url, headers, payload: body, remoteAddress: '127.0.0.1' });
    return { statusCode: response.statusCode, headers: response.headers, body: response.rawPayload };
  };
}

/** `dispatch` to a server's request listener. */
export function dispatchTo(listener: RequestListener): Backend['dispatch'] {
  return dispatchWith((options) => inject(listener, options));
}
