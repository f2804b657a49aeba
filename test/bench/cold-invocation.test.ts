import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coldInvocation, lambdaNodeFlags } from '../../bench/lib/cold-invocation';

const root = mkdtempSync(path.join(tmpdir(), 'tidewatch-cold-invocation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A task root holding one handler file, CommonJS unless the name says .mjs. */
function taskRoot(file: string, source: string): string {
  const directory = mkdtempSync(path.join(root, 'task-'));
  writeFileSync(path.join(directory, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(path.join(directory, file), source);
  return path.join(directory, file);
}

const BUSY_MS = 40;

const environment = { AWS_LAMBDA_FUNCTION_NAME: 'echo', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512', AWS_REGION: 'eu-west-1' };

const ECHO = `exports.handler = async (event, context) => ({
  event,
  requestId: context.awsRequestId,
  arn: context.invokedFunctionArn,
  remaining: context.getRemainingTimeInMillis(),
  trace: process.env._X_AMZN_TRACE_ID,
  execArgv: process.execArgv,
  gc: typeof globalThis.gc,
});\n`;

describe('a cold invocation through the Lambda runtime stand-in', () => {
  it('hands the event and the runtime headers to the handler and returns its answer, with Lambda’s Node flags', async () => {
    const run = await coldInvocation(taskRoot('index.js', ECHO), environment, { id: 'a-1' }, root);
    const result = run.result as Record<string, unknown>;
    expect(result.event).toEqual({ id: 'a-1' });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.arn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:echo');
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.remaining).toBeLessThanOrEqual(30_000);
    // The sampled trace comes with the event, as Lambda's runtime sets it for each invocation.
    expect(result.trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
    expect(result.execArgv).toEqual(expect.arrayContaining(lambdaNodeFlags(512)));
    expect(lambdaNodeFlags(512)).toEqual(['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=25', '--max-old-space-size=461']);
    expect(result.gc).toBe('function');
  });

  it('counts Node’s start, the code’s import and invocation, and work the code queued for later', async () => {
    // Each part spins until it has spent BUSY_MS of CPU: at import, queued from init, in the call, queued from the call.
    const spin = 'const spin = () => { const end = process.cpuUsage().user + BUSY_MS * 1000; while (process.cpuUsage().user < end); };';
    const source = `const BUSY_MS = ${BUSY_MS}; ${spin}
spin();
setImmediate(spin);
exports.handler = async () => { spin(); setImmediate(spin); return 'done'; };
`;
    const run = await coldInvocation(taskRoot('index.js', source), environment, {}, root);
    expect(run.result).toBe('done');
    expect(run.runtimeStartCpuMs).toBeGreaterThan(0);
    expect(run.codeInitCpuMs).toBeGreaterThanOrEqual(BUSY_MS);
    expect(run.codeCpuMs).toBeGreaterThanOrEqual(2 * BUSY_MS);
    // The queued parts ran while the runtime fetched the event and before it posted the answer, as in Lambda.
    expect(run.exchangeCpuMs).toBeGreaterThanOrEqual(2 * BUSY_MS);
    expect(run.processCpuMs).toBeGreaterThanOrEqual(run.runtimeStartCpuMs + 4 * BUSY_MS);
    expect(run.initWallMs).toBeGreaterThan(0);
    expect(run.totalWallMs).toBeGreaterThan(run.initWallMs);
  });

  it('loads an ES module handler by import()', async () => {
    const run = await coldInvocation(taskRoot('index.mjs', 'export const handler = async (event) => ({ esm: true, event });\n'), environment, 7, root);
    expect(run.result).toEqual({ esm: true, event: 7 });
  });

  it('keeps what the handler printed apart from the figures', async () => {
    const run = await coldInvocation(taskRoot('index.js', 'exports.handler = async () => { console.log(JSON.stringify({ level: "INFO" })); return 1; };\n'), environment, {}, root);
    expect(run.stdout.trim()).toBe('{"level":"INFO"}');
  });

  it('fails with the handler’s error when the invocation fails', async () => {
    const file = taskRoot('index.js', 'exports.handler = async () => { throw new TypeError("no such job"); };\n');
    await expect(coldInvocation(file, environment, {}, root)).rejects.toThrow(/invocation\/[0-9a-f-]+\/error: .*"errorType":"TypeError".*no such job/);
  });

  it('fails with the init error when the handler cannot load', async () => {
    const file = taskRoot('index.js', 'throw new Error("bad bundle");\n');
    await expect(coldInvocation(file, environment, {}, root)).rejects.toThrow(/init\/error: .*bad bundle/);
  });

  it('kills a process whose invocation runs over its timeout, and fails', async () => {
    const file = taskRoot('index.js', 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));\n');
    await expect(coldInvocation(file, environment, {}, root, { timeoutSeconds: 1 })).rejects.toThrow(/the invocation ran over 1000 ms/);
  });

  it('fails, naming the exit, when the process dies before it answers', async () => {
    const file = taskRoot('index.js', 'exports.handler = async () => process.exit(3);\n');
    await expect(coldInvocation(file, environment, {}, root)).rejects.toThrow(/exited 3 before it answered/);
  });
});
