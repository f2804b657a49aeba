/**
 * Runs one template function locally: a pool of execution environments (worker threads) that grows up
 * to the needed concurrency, reuses warm environments, replaces ones that timed out or crashed, and
 * writes Lambda's REPORT line for every invocation. On Lambda every environment initializes on its own
 * CPU; here they share this machine's cores, so a burst cold-starts a few environments at a time, and
 * an invocation waiting for its turn takes an environment that turns idle meanwhile.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename, extname } from 'node:path';
import { ExecutionEnvironment, FunctionError, type InvocationLineListener } from './execution-environment';
import { BundleError, FunctionBundle, type BundleFiles } from './function-bundle';
import { functionEnvironment } from './function-environment';
import { functionArn } from './lambda-function-name';
import type { LogSink } from './log-sink';
import type { ContextFields } from './worker-protocol';

/** What the host needs to know about a function (a `LocalFunction` of the template fits). */
export interface FunctionSpec {
  /** Physical name: `AWS_LAMBDA_FUNCTION_NAME`, the log prefix and log file name. */
  readonly name: string;
  /** Absolute path of the TypeScript entry. */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
}

/** One finished invocation, for runtime metrics (invocations, errors, duration, cold starts). */
export interface InvocationRecord {
  readonly functionName: string;
  readonly requestId: string;
  readonly durationMs: number;
  /** Set on a cold start. */
  readonly initDurationMs?: number;
  readonly error?: FunctionError;
  /** Invocations of the function running when this one ended, this one included. */
  readonly concurrent: number;
}

export interface InvokeOptions {
  /** The invocation's request id (`context.awsRequestId`, the REPORT line). @default a random UUID */
  readonly requestId?: string;
  /** Receives the invocation's log lines: its output and its REPORT line. @default none */
  readonly onLine?: InvocationLineListener;
}

export interface FunctionHostOptions {
  /** The local AWS endpoint the function's SDK clients use. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly logSink: LogSink;
  /** Most concurrent invocations (execution environments); further invocations wait for one. @default 10 */
  readonly maxConcurrency?: number;
  /** Environments that may cold-start at once; invocations past it wait for an idle environment or their turn. @default the machine's cores */
  readonly maxConcurrentColdStarts?: number;
  /** Lambda's init phase limit: an init still running then goes on in the first invocation, within the function's timeout. @default 10 */
  readonly initTimeoutSeconds?: number;
  /** Called after every invocation. */
  readonly onInvocation?: (record: InvocationRecord) => void;
  /** Where each execution environment writes a V8 CPU profile of its thread when it ends. @default none */
  readonly cpuProfileDirectory?: string;
}

export class FunctionHost {
  /** Lambda's `Handler` setting: `<entry file>.<export>`. */
  readonly lambdaHandler: string;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: (() => void)[] = [];
  /** Invocations that hold a slot and wait for an environment to turn idle or for their turn to cold-start one. */
  private readonly awaitingEnvironment: (() => void)[] = [];
  private readonly maxConcurrency: number;
  private readonly maxConcurrentColdStarts: number;
  private coldStarting = 0;
  private readonly env: Record<string, string>;
  private bundle: Promise<FunctionBundle> | undefined;
  private firstBuild: Promise<void> | undefined;
  private slotsInUse = 0;
  private running = 0;
  private stopped = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: FunctionHostOptions,
  ) {
    this.maxConcurrency = options.maxConcurrency ?? 10;
    this.maxConcurrentColdStarts = options.maxConcurrentColdStarts ?? availableParallelism();
    this.lambdaHandler = `${basename(spec.entry, extname(spec.entry))}.${spec.handler}`;
    this.env = functionEnvironment({
      functionName: spec.name,
      memoryMiB: spec.memoryMiB,
      handler: this.lambdaHandler,
      environment: spec.environment,
      endpoint: options.endpoint,
      region: options.region,
    });
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * Invokes the function synchronously (RequestResponse): resolves with its JSON result, rejects with a
   * `FunctionError` when it throws, crashes, runs out of memory or times out.
   */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    if (this.stopped) throw new Error(`${this.name} is stopped`);
    await this.acquireSlot();
    this.running += 1;
    const { requestId = randomUUID(), onLine } = options;
    let startedAt = performance.now();
    let initDurationMs: number | undefined;
    let environment: ExecutionEnvironment | undefined;
    try {
      const acquired = await this.environment();
      environment = acquired.environment;
      if (acquired.cold) initDurationMs = environment.initDurationMs;
      // Duration is the handler's time, as on Lambda: not the wait for an environment, its cold start, nor
      // the bundling before it (deployment).
      startedAt = performance.now();
      this.busy.add(environment);
      const payload = await environment.invoke(this.context(requestId, environment.logStreamName), event, onLine);
      this.report({ requestId, startedAt, initDurationMs }, onLine);
      return JSON.parse(payload) as unknown;
    } catch (error) {
      const failure = error instanceof FunctionError ? error : new FunctionError(this.name, { errorType: 'Runtime.Unknown', errorMessage: String(error), stackTrace: [] });
      this.report({ requestId, startedAt, initDurationMs, error: failure }, onLine);
      throw failure;
    } finally {
      this.running -= 1;
      if (environment) {
        this.busy.delete(environment);
        // An environment that cold-started while the host stopped was in neither list: end it here.
        if (this.stopped && environment.alive) void environment.terminate();
        else if (environment.alive) {
          this.idle.push(environment);
          this.awaitingEnvironment.shift()?.();
        }
      }
      this.releaseSlot();
    }
  }

  /** Fault injection: crashes one execution environment that is running an invocation; false when none is. */
  crashBusyEnvironment(): boolean {
    const [environment] = this.busy;
    if (!environment) return false;
    void environment.crash();
    return true;
  }

  /**
   * Resolves once the function's code is built for the first time: the local cloud's deployment of it,
   * which AWS does before any invocation, so a caller with a deadline (the HTTP API's integration
   * timeout) counts from then. Never rejects: code that does not build is its invocations' failure.
   */
  deployed(): Promise<void> {
    this.firstBuild ??= this.bundleFiles().then(
      () => undefined,
      () => undefined,
    );
    return this.firstBuild;
  }

  /** Ends every execution environment; invocations still running fail with `Runtime.Shutdown`. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.waiting.splice(0), ...this.awaitingEnvironment.splice(0)]) wake();
    const environments = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(environments.map((environment) => environment.terminate()));
    await (await this.bundle?.catch(() => undefined))?.dispose();
  }

  /** A warm environment, else one this invocation cold-starts when its turn comes, whichever is first. */
  private async environment(): Promise<{ environment: ExecutionEnvironment; cold: boolean }> {
    for (;;) {
      const warm = this.idle.pop();
      if (warm) return { environment: warm, cold: false };
      if (this.stopped) throw new Error(`${this.name} is stopped`);
      if (this.coldStarting < this.maxConcurrentColdStarts) break;
      await new Promise<void>((resolve) => this.awaitingEnvironment.push(resolve));
    }
    this.coldStarting += 1;
    try {
      return { environment: await this.startEnvironment(), cold: true };
    } finally {
      this.coldStarting -= 1;
      this.awaitingEnvironment.shift()?.();
    }
  }

  private async startEnvironment(): Promise<ExecutionEnvironment> {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    const logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const files = await this.bundleFiles();
    return ExecutionEnvironment.start({
      functionName: this.name,
      entry: this.spec.entry,
      files,
      handlerName: this.spec.handler,
      logStreamName,
      env: { ...this.env, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
      memoryMiB: this.spec.memoryMiB,
      initTimeoutMs: (this.options.initTimeoutSeconds ?? 10) * 1000,
      logSink: this.options.logSink,
      cpuProfileDirectory: this.options.cpuProfileDirectory,
    });
  }

  /** The current build of the function's code (see FunctionBundle); a build error is Lambda's Runtime.ImportModuleError. */
  private bundleFiles(): Promise<BundleFiles> {
    this.bundle ??= FunctionBundle.create(this.spec.entry);
    return this.bundle
      .then((bundle) => bundle.files())
      .catch((error: unknown) => {
        if (!(error instanceof BundleError)) throw error;
        // Code that does not build is code that does not load: Lambda's error for it.
        throw new FunctionError(this.name, { errorType: 'Runtime.ImportModuleError', errorMessage: `${this.spec.entry}: ${error.message}`, stackTrace: [] });
      });
  }

  private context(requestId: string, logStreamName: string): ContextFields {
    return {
      functionName: this.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn(this.options, this.name),
      memoryLimitInMB: String(this.spec.memoryMiB),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName,
      deadlineMs: Date.now() + this.spec.timeoutSeconds * 1000,
    };
  }

  private report(invocation: { requestId: string; startedAt: number; initDurationMs: number | undefined; error?: FunctionError }, onLine?: InvocationLineListener): void {
    const record: InvocationRecord = {
      functionName: this.name,
      requestId: invocation.requestId,
      durationMs: performance.now() - invocation.startedAt,
      initDurationMs: invocation.initDurationMs,
      error: invocation.error,
      concurrent: this.running,
    };
    const init = record.initDurationMs === undefined ? '' : `\tInit Duration: ${record.initDurationMs.toFixed(2)} ms`;
    const status = record.error ? `\tStatus: error\tError Type: ${record.error.errorType}` : '';
    const line = `REPORT RequestId: ${record.requestId}\tDuration: ${record.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(record.durationMs)} ms\tMemory Size: ${this.spec.memoryMiB} MB${init}${status}`;
    this.options.logSink.write(this.name, line);
    onLine?.(line);
    this.options.onInvocation?.(record);
  }

  private async acquireSlot(): Promise<void> {
    if (this.slotsInUse < this.maxConcurrency) {
      this.slotsInUse += 1;
      return;
    }
    // The slot is handed over by releaseSlot, so slotsInUse stays the same.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.stopped) throw new Error(`${this.name} is stopped`);
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.slotsInUse -= 1;
  }
}
