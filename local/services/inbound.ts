/** A request as it reached the gateway, body read, and what a service handler answers. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { GatewayResponse } from '../template/model';

export interface InboundRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly remoteAddress: string;
}

/** An emulator's answer passed through as a stream (S3 objects can be large). */
export interface StreamedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly stream: IncomingMessage;
}

export type HandlerResult = GatewayResponse | StreamedResponse;
