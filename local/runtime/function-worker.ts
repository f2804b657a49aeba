/**
 * The code that runs inside one function's worker thread (bundled by function-bundle.ts, CommonJS): loads
 * the function's bundled entry once (the cold start), then serves invocations one at a time, like one
 * Lambda execution environment.
 */
import { enableCompileCache, flushCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { createLambdaContext } from './lambda-context';
import { mapStackTraces } from '../../handlers/shared/lazy-source-maps';
import { serializeError, type HostToWorkerMessage, type WorkerBootData, type WorkerToHostMessage } from './worker-protocol';

type Handler = (event: unknown, context: unknown) => unknown;

const port = parentPort;
if (!port) throw new Error('function-worker.ts must run in a worker thread');
const boot = workerData as WorkerBootData;
const post = (message: WorkerToHostMessage) => port.postMessage(message);

// Stack traces name the TypeScript sources, as the function's own bundle maps them on Lambda (mapLambdaStackTraces).
mapStackTraces([__filename, boot.bundle]);
// The environments of a function load the same bundle: the first compiles it, the others start from its V8 code.
enableCompileCache(boot.compileCacheDirectory);

/** Requires the bundle, as Lambda's Node.js runtime loads a CommonJS handler. */
function loadHandler(): Handler | undefined {
  let module: Record<string, unknown>;
  try {
    module = require(boot.bundle) as Record<string, unknown>;
  } catch (error) {
    post({ type: 'init-error', error: serializeError(error, 'Runtime.ImportModuleError') });
    return undefined;
  }
  // Written now, with the code the init compiled, not when the environment ends.
  flushCompileCache();
  const handler = module[boot.handlerName];
  if (typeof handler !== 'function') {
    post({
      type: 'init-error',
      error: serializeError(new Error(`${boot.entry} does not export a function named ${boot.handlerName}`), 'Runtime.HandlerNotFound'),
    });
    return undefined;
  }
  return handler as Handler;
}

/**
 * Resolves once the host has taken everything written so far to stdout and stderr (a worker's write
 * completes when the main thread reads it), so an invocation's output is captured before its result.
 */
function outputTaken(): Promise<unknown> {
  return Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
}

const handler = loadHandler();
if (handler) {
  port.on('message', async ({ context: fields, event }: HostToWorkerMessage) => {
    const requestId = fields.awsRequestId;
    let answer: WorkerToHostMessage;
    try {
      const result = await handler(JSON.parse(event), createLambdaContext(fields));
      answer = { type: 'result', requestId, payload: JSON.stringify(result ?? null) };
    } catch (thrown) {
      const error = serializeError(thrown);
      // The same line the Node.js Lambda runtime writes to the function's log on a failed invocation.
      console.error(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}`);
      answer = { type: 'error', requestId, error };
    }
    await outputTaken();
    post(answer);
  });
  post({ type: 'ready' });
}
