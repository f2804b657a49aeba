/**
 * Messages between a function host (main thread) and one function worker thread. Events and results
 * cross as JSON text, as they do between the Lambda service and a runtime, so a handler sees a fresh
 * object and a result is serialized exactly as Lambda would (Dates become strings, undefined becomes null).
 */

/** What a worker thread is started with. */
export interface WorkerBootData {
  /** Absolute path of the TypeScript entry (what messages name). */
  readonly entry: string;
  /** Absolute path of the entry's bundle (what the worker requires). */
  readonly bundle: string;
  /** Name of the exported handler. */
  readonly handlerName: string;
  /** Node's compile cache, shared by the function's environments. */
  readonly compileCacheDirectory: string;
}

/** The Lambda context fields that do not change during one invocation. */
export interface ContextFields {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** A string, as Lambda passes it. */
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadlineMs: number;
}

/** Lambda's error shape (`errorType`, `errorMessage`, `stackTrace`). */
export interface SerializedError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace: readonly string[];
}

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly context: ContextFields;
  /** The event as JSON text. */
  readonly event: string;
}

export type HostToWorkerMessage = InvokeMessage;

export type WorkerToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: SerializedError }
  /** `payload` is the handler's result as JSON text. */
  | { readonly type: 'result'; readonly requestId: string; readonly payload: string }
  | { readonly type: 'error'; readonly requestId: string; readonly error: SerializedError };

export function serializeError(error: unknown, errorType?: string): SerializedError {
  if (error instanceof Error) {
    return {
      errorType: errorType ?? error.name,
      errorMessage: error.message,
      stackTrace: (error.stack ?? '').split('\n').slice(1).map((line) => line.trim()),
    };
  }
  return { errorType: errorType ?? 'Error', errorMessage: String(error), stackTrace: [] };
}
