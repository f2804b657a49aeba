/**
 * One Lambda execution environment: a worker thread that loaded one function's TypeScript entry and
 * serves one invocation at a time. Its heap is capped at the function's memory size, and an invocation
 * that outlives the function's timeout terminates it, as Lambda ends a timed-out sandbox. An init that
 * passes Lambda's init limit (10 s) goes on in the first invocation, against the function's timeout, as
 * Lambda then retries the init with the function's timeout.
 */
import { Worker } from 'node:worker_threads';
import type { BundleFiles } from './function-bundle';
import type { LogSink } from './log-sink';
import { withinTimeLimit } from './time-limit';
import type { ContextFields, SerializedError, WorkerBootData, WorkerToHostMessage } from './worker-protocol';

/** A failed invocation, with Lambda's error type (`Sandbox.Timedout`, `Runtime.ImportModuleError`, the handler's error name...). */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace: readonly string[];
  constructor(
    readonly functionName: string,
    error: SerializedError,
  ) {
    super(`${functionName}: ${error.errorType}: ${error.errorMessage}`);
    this.errorType = error.errorType;
    this.errorMessage = error.errorMessage;
    this.stackTrace = error.stackTrace;
  }
  get timedOut(): boolean {
    return this.errorType === 'Sandbox.Timedout';
  }
}

export interface ExecutionEnvironmentOptions {
  readonly functionName: string;
  /** The TypeScript entry (for messages). */
  readonly entry: string;
  /** The worker code and the entry, bundled (function-bundle.ts). */
  readonly files: BundleFiles;
  readonly handlerName: string;
  /** This environment's CloudWatch log stream name (context.logStreamName). */
  readonly logStreamName: string;
  readonly env: Record<string, string>;
  readonly memoryMiB: number;
  /** Longest the init phase lasts (Lambda's is 10 s); an init still running then goes on in the first invocation. */
  readonly initTimeoutMs: number;
  readonly logSink: LogSink;
  /** Writes a V8 CPU profile of the thread there when it ends (`--cpu-prof`). @default none */
  readonly cpuProfileDirectory?: string;
}

/**
 * The young generation's size, set explicitly: with Node 24's default for a worker, a function that
 * allocates fast overruns its old-generation limit before the worker can be terminated, and V8 aborts
 * the whole process ("Reached heap limit") instead of ending the thread with ERR_WORKER_OUT_OF_MEMORY
 * (nodejs/node#47224). With a bounded young generation the thread ends and the local cloud survives.
 * A single allocation larger than the whole limit can still abort it: termination is best-effort.
 */
const YOUNG_GENERATION_MIB = 16;

/** Receives the log lines of the invocation running (its output, and a timeout's line). */
export type InvocationLineListener = (line: string) => void;

/** The invocation an environment's output belongs to, if it listens. */
interface OutputOwner {
  listener?: InvocationLineListener;
}

export class ExecutionEnvironment {
  /** Milliseconds the init phase (thread start + module load, up to the init limit) took. */
  readonly initDurationMs: number;
  private exitError: SerializedError | undefined;
  private pending: { resolve: (payload: string) => void; reject: (error: FunctionError) => void } | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: ExecutionEnvironmentOptions,
    initDurationMs: number,
    private readonly output: OutputOwner,
    /** The init still running past the init limit, which the first invocation waits for. */
    private initializing: Promise<void> | undefined,
  ) {
    this.initDurationMs = initDurationMs;
    // A failure of the init is the first invocation's to report (or nobody's, when the environment is ended first).
    initializing?.catch(() => undefined);
    worker.on('message', (message: WorkerToHostMessage) => {
      if (message.type === 'result') this.settle((pending) => pending.resolve(message.payload));
      else if (message.type === 'error') this.settle((pending) => pending.reject(new FunctionError(options.functionName, message.error)));
    });
    worker.on('error', (error) => this.fail(runtimeError(error)));
    worker.on('exit', (code) => this.fail({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with code ${code}`, stackTrace: [] }));
  }

  /**
   * Starts a worker thread and waits for the function's module to load (the cold start), at most the
   * init limit: past it the environment is returned still initializing, and its first invocation waits
   * for the init within its own deadline. Rejects when the module fails to load within the limit.
   */
  static async start(options: ExecutionEnvironmentOptions): Promise<ExecutionEnvironment> {
    const startedAt = performance.now();
    const worker = new Worker(options.files.worker, {
      env: options.env,
      // Plain Node, as Lambda's runtime: not the local cloud's own flags. Under `npm start` (tsx) a thread
      // inherited tsx's loader, and every import of its cold start went through tsx's hooks: 3x the CPU.
      execArgv: options.cpuProfileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDirectory}`] : [],
      workerData: {
        entry: options.entry,
        bundle: options.files.handler,
        handlerName: options.handlerName,
        compileCacheDirectory: options.files.compileCacheDirectory,
      } satisfies WorkerBootData,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMiB, maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB },
      stdout: true,
      stderr: true,
    });
    const output: OutputOwner = {};
    for (const stream of [worker.stdout, worker.stderr]) options.logSink.capture(options.functionName, stream, (line) => output.listener?.(line));
    const initialized = initialization(worker);
    let withinLimit: boolean;
    try {
      withinLimit = !(await withinTimeLimit(initialized, options.initTimeoutMs)).timedOut;
    } catch (error) {
      worker.on('error', () => undefined); // the init failure is already reported; later thread errors add nothing
      await worker.terminate();
      throw new FunctionError(options.functionName, error as SerializedError);
    }
    const initDurationMs = Math.round(performance.now() - startedAt);
    if (!withinLimit) {
      // Lambda's line for an init phase that timed out; the init is then part of the first invocation.
      options.logSink.write(options.functionName, `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: timeout`);
    }
    return new ExecutionEnvironment(worker, options, initDurationMs, output, withinLimit ? undefined : initialized);
  }

  get logStreamName(): string {
    return this.options.logStreamName;
  }

  /** False once the thread died (timeout, crash, out of memory): it must not be reused. */
  get alive(): boolean {
    return this.exitError === undefined;
  }

  /**
   * Runs one invocation; `onLine` gets its log lines, all of them before it settles (the worker hands
   * its output over before its result). Past `context.deadlineMs` the thread is terminated and the
   * invocation fails with `Sandbox.Timedout`; the next invocation then needs a new environment (a cold start).
   */
  invoke(context: ContextFields, event: unknown, onLine?: InvocationLineListener): Promise<string> {
    if (this.exitError) return Promise.reject(new FunctionError(this.options.functionName, this.exitError));
    if (this.pending) throw new Error('an execution environment serves one invocation at a time');
    const startedAt = Date.now();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        const seconds = ((context.deadlineMs - startedAt) / 1000).toFixed(2);
        const message = `Task timed out after ${seconds} seconds`;
        const line = `${new Date().toISOString()} ${context.awsRequestId} ${message}`;
        this.options.logSink.write(this.options.functionName, line);
        onLine?.(line);
        this.fail({ errorType: 'Sandbox.Timedout', errorMessage: message, stackTrace: [] });
        void this.worker.terminate();
      }, context.deadlineMs - startedAt);
      const done = <T>(settle: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        settle(value);
      };
      this.pending = { resolve: done(resolve), reject: done(reject) };
      this.output.listener = onLine;
      const send = () => this.worker.postMessage({ type: 'invoke', context, event: JSON.stringify(event) });
      if (!this.initializing) return send();
      this.initializing.then(
        () => {
          this.initializing = undefined;
          // The deadline may have passed meanwhile: the timeout already ended this environment.
          if (this.alive) send();
        },
        (error: SerializedError) => {
          this.fail(error);
          void this.worker.terminate();
        },
      );
    });
  }

  /** Ends the thread as a crashing runtime does (fault injection): an invocation in flight fails with `Runtime.ExitError`. */
  async crash(): Promise<void> {
    await this.worker.terminate();
  }

  async terminate(): Promise<void> {
    this.fail({ errorType: 'Runtime.Shutdown', errorMessage: 'the local cloud is stopping', stackTrace: [] });
    await this.worker.terminate();
  }

  private fail(error: SerializedError): void {
    this.exitError ??= error;
    this.settle((pending) => pending.reject(new FunctionError(this.options.functionName, this.exitError ?? error)));
  }

  private settle(action: (pending: NonNullable<ExecutionEnvironment['pending']>) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    this.output.listener = undefined;
    if (pending) action(pending);
  }
}

function runtimeError(error: Error & { code?: string }): SerializedError {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: memory size exceeded', stackTrace: [] };
  }
  // An uncaught exception or unhandled rejection ends the runtime, as on Lambda.
  return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${error.name}: ${error.message}`, stackTrace: [] };
}

/** Settles when the worker has loaded the function's module; rejects with the reason it could not. */
function initialization(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: SerializedError) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (message: WorkerToHostMessage) => {
      if (message.type === 'ready') finish();
      else if (message.type === 'init-error') finish(message.error);
    };
    const onError = (error: Error) => finish(runtimeError(error));
    const onExit = (code: number) => finish({ errorType: 'Runtime.ExitError', errorMessage: `runtime exited with code ${code} during init`, stackTrace: [] });
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
