/**
 * The local HTTP API (API Gateway v2, payload format 2.0): routes from the template, the template's
 * CORS, and API Gateway's own answers (404 for no route, 413 over 10 MB, 500 when the function fails,
 * 503 when it does not answer within the integration timeout).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalCors } from '../template/model';
import { preflightHeaders, withCorsHeaders } from './cors';
import { httpApiEvent, httpResponse, type HttpResponse } from './http-api-event';
import { RouteTable } from './http-route-table';
import { withinTimeLimit } from './time-limit';
import { listen, serviceUnavailable, type ListenOptions, type ListeningServer } from '../listen';

/** A function behind a route (a `FunctionHost` fits). */
export interface RouteTarget {
  readonly name: string;
  /** Resolves once the function is deployed (locally: its code built the first time). */
  deployed(): Promise<void>;
  invoke(event: unknown): Promise<unknown>;
}

export interface HttpApiConfig {
  readonly routes: readonly { readonly routeKey: string; readonly target: RouteTarget }[];
  /** The API's CorsConfiguration; undefined when it has none. */
  readonly cors: LocalCors | undefined;
  readonly accountId: string;
  /** Reported as `requestContext.apiId`. */
  readonly apiId: string;
  /** Receives the API's own warnings, under the function's name. */
  readonly log: (functionName: string, line: string) => void;
  /** Called after every answered request, for API Gateway's metrics. */
  readonly onRequest?: (record: ApiRequestRecord) => void;
  /** Longest the API waits for the function's answer. @default 30 (HTTP API's maximum) */
  readonly integrationTimeoutSeconds?: number;
}

/** One answered request, as API Gateway meters it. */
export interface ApiRequestRecord {
  readonly apiId: string;
  readonly stage: '$default';
  readonly status: number;
  /** From request received to response sent. */
  readonly latencyMs: number;
  /** Time spent in the function; undefined when no function ran. */
  readonly integrationLatencyMs?: number;
}

/** API Gateway's HTTP API payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** HTTP API's integration timeout when the integration sets none, which is also its maximum. */
const DEFAULT_INTEGRATION_TIMEOUT_SECONDS = 30;

export class HttpApiServer {
  private config: HttpApiConfig | undefined;
  private routes: RouteTable<RouteTarget> = new RouteTable([]);

  private constructor(private readonly bound: ListeningServer) {}

  /** Binds the port; requests get 503 until `serve` wires the routes. */
  static async listen(options: Omit<ListenOptions, 'purpose'>): Promise<HttpApiServer> {
    let api: HttpApiServer | undefined;
    const bound = await listen({ ...options, purpose: 'local HTTP API' }, (request, response) => (api ? api.handle(request, response) : serviceUnavailable(response)));
    api = new HttpApiServer(bound);
    return api;
  }

  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  get url(): string {
    return this.bound.url;
  }

  get port(): number {
    return this.bound.port;
  }

  serve(config: HttpApiConfig): void {
    this.config = config;
    this.routes = new RouteTable(config.routes);
  }

  close(): Promise<void> {
    return this.bound.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomBytes(10).toString('base64').replace(/=+$/, '');
    const receivedAt = new Date();
    const started = performance.now();
    let integrationLatencyMs: number | undefined;
    const send = (answer: HttpResponse) => {
      this.config?.onRequest?.({
        apiId: this.config.apiId,
        stage: '$default',
        status: answer.statusCode,
        latencyMs: performance.now() - started,
        integrationLatencyMs,
      });
      response.writeHead(answer.statusCode, {
        ...answer.headers,
        'apigw-requestid': requestId,
        'content-length': String(answer.body.length),
        ...(answer.cookies.length > 0 ? { 'set-cookie': [...answer.cookies] } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : answer.body);
    };
    const config = this.config;
    if (!config) return serviceUnavailable(response);
    const body = await readBody(request);
    if (!body) return send(message(413, 'Request Entity Too Large'));
    const method = request.method ?? 'GET';
    const origin = request.headers.origin;
    const preflight = config.cors && preflightHeaders(config.cors, method, request.headers as Record<string, string>);
    if (preflight) return send({ statusCode: 204, headers: preflight, cookies: [], body: Buffer.alloc(0) });
    const withCors = (answer: HttpResponse): HttpResponse => (config.cors ? { ...answer, headers: withCorsHeaders(config.cors, origin, answer.headers) } : answer);

    const path = (request.url ?? '/').split('?')[0] as string;
    const route = this.routes.match(method, path);
    if (!route) return send(withCors(message(404, 'Not Found')));
    const event = httpApiEvent(
      { method, url: request.url ?? '/', rawHeaders: request.rawHeaders, body, sourceIp: sourceIp(request), requestId, receivedAt },
      { routeKey: route.routeKey, pathParameters: route.pathParameters, accountId: config.accountId, apiId: config.apiId },
    );
    // On AWS a function is deployed before any request reaches it: the integration's time starts after.
    await route.target.deployed();
    const invokedAt = performance.now();
    const timeoutSeconds = config.integrationTimeoutSeconds ?? DEFAULT_INTEGRATION_TIMEOUT_SECONDS;
    const invocation = route.target.invoke(event).then(
      (result) => ({ failed: false, result }),
      () => ({ failed: true, result: undefined }), // the function host logged the failure
    );
    const answered = await withinTimeLimit(invocation, timeoutSeconds * 1000);
    integrationLatencyMs = performance.now() - invokedAt;
    if (answered.timedOut) {
      // As on AWS, the invocation goes on; only the API stops waiting for it.
      config.log(route.target.name, `[http api] ${route.routeKey}: the integration did not answer within ${timeoutSeconds} s; answered 503`);
      return send(withCors(message(503, 'Service Unavailable')));
    }
    const outcome = answered.value;
    if (outcome.failed) return send(withCors(message(500, 'Internal Server Error')));
    let answer: HttpResponse;
    try {
      answer = httpResponse(outcome.result);
    } catch (error) {
      config.log(route.target.name, `[http api] ${route.routeKey}: ${(error as Error).message}; answered 500`);
      answer = message(500, 'Internal Server Error');
    }
    send(withCors(answer));
  }
}

/** API Gateway's own error answers: `{"message": "..."}`. */
function message(statusCode: number, text: string): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(JSON.stringify({ message: text })) };
}

/**
 * The whole body, or undefined when it passes the payload limit. An oversized body is still read to
 * its end (and dropped) so the client, still sending, gets the 413 instead of a reset connection.
 */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}

function sourceIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}
