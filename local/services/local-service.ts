/**
 * How an AWS service plugs into the local cloud's one endpoint: its name, which requests are its own,
 * the actions it answers and its handler. The gateway routes every request through a registry of these
 * (service-registry.ts); the services half registers the emulated services, the local CloudWatch and
 * the runtime's Lambda API register the same way.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** The wire protocol of a request: errors must come back in the same one. */
export type Protocol = 'json' | 'query' | 'rest-xml' | 'rest-json';

/** A request as it reached the gateway, body read. */
export interface InboundRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly remoteAddress: string;
}

/** A whole answer. */
export interface ServiceResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** An emulator's answer passed through as a stream (S3 objects can be large). */
export interface StreamedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly stream: IncomingMessage;
}

export type HandlerResult = ServiceResponse | StreamedResponse;

/** One operation of a REST protocol. */
export interface RestOperation {
  readonly action: string;
  readonly method: string;
  /** `/2015-03-31/functions/{FunctionName}/invocations`: a `{label}` is one path segment, handed over decoded. */
  readonly path: string;
}

/** Which requests at the endpoint are a service's, as AWS's own front door tells them apart. */
export interface ServiceRoutes {
  /** The SigV4 signing name (credential scope `.../<region>/<name>/aws4_request`): `sqs`, `monitoring`. */
  readonly signingName: string;
  /** The protocol of its errors when a request's shape names none (a REST call). */
  readonly protocol: Protocol;
  /** AWS JSON protocols: the `X-Amz-Target` prefix before the action (`AmazonSQS`). @default none */
  readonly targetPrefix?: string;
  /**
   * Query protocol: the actions it takes from unsigned requests, where no credential scope says the
   * service; `'*'` takes every unsigned action no service lists. @default none
   */
  readonly unsignedActions?: readonly string[] | '*';
  /** REST operations by method and path (signed for this service, or unsigned). @default none */
  readonly restOperations?: readonly RestOperation[];
  /** Takes the REST requests no service's operation matches, unsigned or signed for it (S3's bucket and object paths). @default false */
  readonly restFallback?: boolean;
}

/** What the registry read from a request on the way to its service. */
export interface Route {
  /** From `X-Amz-Target`, the query `Action` or the matched REST operation; undefined for a REST fallback (S3 derives it). */
  readonly action?: string;
  readonly protocol: Protocol;
  /** Query-protocol parameters, parsed once. */
  readonly params?: URLSearchParams;
  /** Labels of the matched REST operation's path, decoded. */
  readonly pathParameters?: Readonly<Record<string, string>>;
}

export interface LocalService {
  /** The service as AWS names it, in errors and listings: `SQS`, `CloudWatch`. Registering a name again replaces the service. */
  readonly name: string;
  readonly routes: ServiceRoutes;
  /**
   * The actions it answers. Any other action the route names is answered with `UnsupportedOperation`
   * before the handler is called; a REST fallback names its operations itself.
   */
  readonly supports: readonly string[];
  /** Qualifies the `__type` of AWS JSON errors as the service does (SQS: `com.amazonaws.sqs#`). @default '' */
  readonly jsonErrorPrefix?: string;
  /** Answers one request; throws `AwsServiceError` for an AWS-style error in the request's protocol. */
  handle(request: InboundRequest, route: Route): Promise<HandlerResult>;
}

/** A request header's (first) value; `name` in lower case. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
