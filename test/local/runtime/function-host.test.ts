import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionError } from '../../../local/runtime/execution-environment';
import { FunctionHost, type FunctionHostOptions, type FunctionSpec, type InvocationRecord } from '../../../local/runtime/function-host';
import { LogSink } from '../../../local/runtime/log-sink';

const handlers = fileURLToPath(new URL('./fixtures/handlers.ts', import.meta.url));
const slowInit = fileURLToPath(new URL('./fixtures/slow-init.ts', import.meta.url));
const tracing = fileURLToPath(new URL('./fixtures/tracing.ts', import.meta.url));
const hosts: FunctionHost[] = [];

function host(spec: Partial<FunctionSpec> & { handler: string }, logSink = new LogSink(), invocations: InvocationRecord[] = [], options: Partial<FunctionHostOptions> = {}) {
  const created = new FunctionHost(
    { name: `fixture-${spec.handler}`, entry: handlers, environment: {}, timeoutSeconds: 10, memoryMiB: 128, ...spec },
    { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', accountId: '000000000000', logSink, onInvocation: (record) => invocations.push(record), ...options },
  );
  hosts.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((created) => created.stop()));
});

describe('FunctionHost', () => {
  it('runs the TypeScript handler with the template environment, the Lambda variables and a context', async () => {
    const echo = host({ handler: 'echo', environment: { FROM_TEMPLATE: 'yes', POWERTOOLS_DEV: 'true' }, memoryMiB: 256 });
    const result = (await echo.invoke({ hello: 'world' })) as Record<string, any>;
    expect(result.event).toEqual({ hello: 'world' });
    expect(result.env).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_LAMBDA_FUNCTION_NAME: 'fixture-echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      _HANDLER: 'handlers.echo',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_DEV: null,
      FROM_TEMPLATE: 'yes',
      HOME: null,
    });
    expect(result.context).toMatchObject({
      functionName: 'fixture-echo',
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fixture-echo',
    });
    expect(result.context.remainingMs).toBeGreaterThan(8_000);
    expect(result.context.remainingMs).toBeLessThanOrEqual(10_000);
  });

  it('runs the Powertools tracer off, with the X-Ray SDK in manual mode (no async hook on every promise), and the tracer middleware asks it for nothing', async () => {
    const traced = host({ handler: 'handler', entry: tracing });
    const lines: string[] = [];
    await expect(traced.invoke({}, { onLine: (line) => lines.push(line) })).resolves.toEqual({ tracingEnabled: false, xrayAutomaticMode: false });
    // The X-Ray SDK logs a missing context at ERROR unless told otherwise: nothing but the REPORT line.
    expect(lines.filter((line) => !line.startsWith('REPORT '))).toEqual([]);
  });

  it('reuses a warm environment and reports the cold start once', async () => {
    const invocations: InvocationRecord[] = [];
    const echo = host({ handler: 'echo' }, new LogSink(), invocations);
    const first = (await echo.invoke({})) as { invocationsHere: number };
    const second = (await echo.invoke({})) as { invocationsHere: number };
    expect([first.invocationsHere, second.invocationsHere]).toEqual([1, 2]);
    expect(invocations[0]?.initDurationMs).toBeGreaterThan(0);
    expect(invocations[1]?.initDurationMs).toBeUndefined();
  });

  it('grows the pool up to the concurrency needed, then reuses the warm environments', async () => {
    const invocations: InvocationRecord[] = [];
    const sleep = host({ handler: 'sleep' }, new LogSink(), invocations);
    await Promise.all([1, 2, 3].map(() => sleep.invoke({ ms: 500 })));
    // Three invocations at once: three environments, each with its cold start.
    expect(invocations.filter((record) => record.initDurationMs !== undefined)).toHaveLength(3);
    await Promise.all([1, 2, 3].map(() => sleep.invoke({ ms: 10 })));
    expect(invocations.filter((record) => record.initDurationMs !== undefined)).toHaveLength(3);
  });

  it('cold-starts a burst a few environments at a time, and a waiting invocation takes an environment that turns idle', async () => {
    const invocations: InvocationRecord[] = [];
    const slow = host({ handler: 'handler', entry: slowInit, environment: { INIT_MS: '2000' } }, new LogSink(), invocations, { maxConcurrentColdStarts: 1 });
    await Promise.all([1, 2, 3].map(() => slow.invoke({})));
    // The first cold start serves its invocation at once; the second waits for its turn, then cold-starts;
    // the third, still waiting, takes the first environment as soon as its invocation ends.
    expect(invocations.filter((record) => record.initDurationMs !== undefined)).toHaveLength(2);
    expect(invocations.filter((record) => record.initDurationMs === undefined)).toHaveLength(1);
  });

  it('fails a handler error with its type and message, and logs it', async () => {
    const lines: string[] = [];
    const sink = new LogSink();
    sink.onLine((_, line) => lines.push(line));
    await expect(host({ handler: 'fail' }, sink).invoke({})).rejects.toMatchObject({ errorType: 'ValidationError', message: 'fixture-fail: ValidationError: the input is wrong' });
    expect(lines.some((line) => line.includes('\tERROR\tInvoke Error \t{"errorType":"ValidationError"'))).toBe(true);
  });

  it('terminates an invocation past its timeout and cold-starts a fresh environment for the next one', async () => {
    const lines: string[] = [];
    const sink = new LogSink();
    sink.onLine((_, line) => lines.push(line));
    const invocations: InvocationRecord[] = [];
    const sleep = host({ handler: 'sleep', timeoutSeconds: 1 }, sink, invocations);
    const error = await sleep.invoke({ ms: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FunctionError);
    expect(error).toMatchObject({ errorType: 'Sandbox.Timedout', timedOut: true, message: 'fixture-sleep: Sandbox.Timedout: Task timed out after 1.00 seconds' });
    expect(lines.some((line) => line.endsWith('Task timed out after 1.00 seconds'))).toBe(true);
    await expect(sleep.invoke({ ms: 10 })).resolves.toBe('woke up');
    expect(invocations[1]?.initDurationMs).toBeGreaterThan(0);
  });

  it('caps the heap at the memory size: a function over it fails with Runtime.OutOfMemory and the next invocation works', async () => {
    // A long timeout: on a busy machine filling 64 MiB can take longer than the default 10 s, and this is about memory.
    const hog = host({ handler: 'hog', memoryMiB: 64, timeoutSeconds: 120 });
    // Several times over: on Node 24 an unbounded young generation aborted the whole process now and then.
    for (let round = 0; round < 5; round++) await expect(hog.invoke({})).rejects.toMatchObject({ errorType: 'Runtime.OutOfMemory' });
    const echo = host({ handler: 'echo', memoryMiB: 64 });
    await expect(echo.invoke({})).resolves.toMatchObject({ invocationsHere: 1 });
  });

  it('fails the cold start of a module that does not load, or lacks the handler', async () => {
    const broken = fileURLToPath(new URL('./fixtures/broken.ts', import.meta.url));
    await expect(host({ handler: 'handler', entry: broken }).invoke({})).rejects.toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    await expect(host({ handler: 'missing' }).invoke({})).rejects.toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
  });

  it('goes on with an init that passes the init limit in the first invocation, within the function timeout, as Lambda does', async () => {
    const lines: string[] = [];
    const sink = new LogSink();
    sink.onLine((_, line) => lines.push(line));
    const invocations: InvocationRecord[] = [];
    const slow = host({ handler: 'handler', entry: slowInit, environment: { INIT_MS: '2500' }, timeoutSeconds: 10 }, sink, invocations, { initTimeoutSeconds: 1 });
    const { remainingMs } = (await slow.invoke({})) as { remainingMs: number };
    expect(lines.some((line) => /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: timeout$/.test(line))).toBe(true);
    // The rest of the init (at least 1.5 of its 2.5 s) ran in the invocation, against its timeout.
    expect(remainingMs).toBeLessThanOrEqual(8_500);
    expect(invocations[0]).toMatchObject({ initDurationMs: expect.any(Number), error: undefined });
  });

  it('times out an init that outlasts both the init limit and the function timeout', async () => {
    const slow = host({ handler: 'handler', entry: slowInit, environment: { INIT_MS: '60000' }, timeoutSeconds: 1 }, new LogSink(), [], { initTimeoutSeconds: 1 });
    await expect(slow.invoke({})).rejects.toMatchObject({ errorType: 'Sandbox.Timedout', message: 'fixture-handler: Sandbox.Timedout: Task timed out after 1.00 seconds' });
  });

  it('fails the cold start of code that does not build, naming the file and line', async () => {
    const entry = join(mkdtempSync(join(tmpdir(), 'tidewatch-source-')), 'syntax.ts');
    writeFileSync(entry, 'export const handler = async () => {\n  return 1 +;\n};\n');
    const broken = host({ handler: 'handler', entry });
    // The deployment (first build) is over, failed: what fails is each invocation, as on Lambda.
    await expect(broken.deployed()).resolves.toBeUndefined();
    await expect(broken.invoke({})).rejects.toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      message: expect.stringMatching(/syntax\.ts:2: /),
    });
  });

  it('runs the edited source in the next new environment, and names the TypeScript source in stack traces', async () => {
    const entry = join(mkdtempSync(join(tmpdir(), 'tidewatch-source-')), 'versioned.ts');
    const source = (version: string) =>
      `export async function handler(event: { fail?: boolean }) {\n  await new Promise((resolve) => setTimeout(resolve, 300));\n  if (event.fail) throw new Error('${version} failed');\n  return '${version}';\n}\n`;
    writeFileSync(entry, source('v1'));
    const versioned = host({ handler: 'handler', entry });
    await expect(versioned.invoke({})).resolves.toBe('v1');
    writeFileSync(entry, source('v2'));
    // Two at once: the warm environment keeps v1, the one that cold-starts now loads v2.
    expect((await Promise.all([versioned.invoke({}), versioned.invoke({})])).sort()).toEqual(['v1', 'v2']);
    const error = (await Promise.all([versioned.invoke({ fail: true }), versioned.invoke({ fail: true })].map((call) => call.catch((caught: FunctionError) => caught)))) as FunctionError[];
    expect(error.map((caught) => caught.stackTrace[0])).toEqual([expect.stringContaining('versioned.ts:3'), expect.stringContaining('versioned.ts:3')]);
  });

  it('gives the environments of a function one compile cache, which the first cold start fills with the bundle\'s V8 code', async () => {
    const cached = host({ handler: 'compileCacheDirectory' });
    const directory = (await cached.invoke({})) as string;
    expect(directory).toEqual(expect.any(String));
    expect(readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())).not.toEqual([]);
    // Two at once: a second environment cold-starts with the same cache.
    expect(await Promise.all([cached.invoke({}), cached.invoke({})])).toEqual([directory, directory]);
  });

  it('loads the handler bundled as on Lambda (CommonJS): Node\'s built-ins are required, so no ES module facade runs node:http\'s lazy undici', async () => {
    await expect(host({ handler: 'undiciLoaded' }).invoke({})).resolves.toEqual({ httpRequest: 'function', undici: false });
  });

  it('writes a CPU profile of each execution environment\'s thread when asked, once the environment ends', async () => {
    const cpuProfileDirectory = mkdtempSync(join(tmpdir(), 'tidewatch-cpu-profiles-'));
    const profiled = host({ handler: 'echo' }, new LogSink(), [], { cpuProfileDirectory });
    await profiled.invoke({});
    await profiled.stop();
    const profiles = readdirSync(cpuProfileDirectory).filter((name) => name.endsWith('.cpuprofile'));
    expect(profiles).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(cpuProfileDirectory, profiles[0]!), 'utf8'))).toHaveProperty('nodes');
  });

  it('captures every output line, prints it prefixed by the function name and appends it to the function log file', async () => {
    const logDirectory = mkdtempSync(join(tmpdir(), 'tidewatch-logs-'));
    const printed: string[] = [];
    const print = { write: (chunk: string) => printed.push(chunk) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
    const sink = new LogSink({ logDirectory, print: print as never });
    const echo = host({ handler: 'echo' }, sink);
    const { context } = (await echo.invoke({})) as { context: { awsRequestId: string } };
    await echo.stop(); // the partial line is flushed when the thread's stream ends
    const expected = [
      JSON.stringify({ level: 'INFO', message: 'echo', requestId: context.awsRequestId }),
      'a line on stderr',
      'and a partial line',
    ];
    await expect.poll(() => printed.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
    for (const line of expected) expect(printed).toContain(`fixture-echo │ ${line}\n`);
    expect(printed.some((chunk) => chunk.startsWith(`fixture-echo │ REPORT RequestId: ${context.awsRequestId}\tDuration: `))).toBe(true);
    await sink.close();
    const file = readFileSync(join(logDirectory, 'fixture-echo.log'), 'utf8').split('\n');
    for (const line of expected) expect(file).toContain(line);
  });
});
