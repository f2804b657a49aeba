/** An emulator the gateway forwards to, listening on 127.0.0.1. */
export interface Backend {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  stop(): Promise<void>;
}
