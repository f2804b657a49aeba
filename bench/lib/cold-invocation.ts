/**
 * One cold start as Lambda bills it, in a fresh Node process: the bundle's import (the init phase) and
 * the handler's first invocation, each timed inside the process (process start excluded). The event
 * travels as the last argument; the figures come back on file descriptor 3, so the handler's own
 * output (Powertools JSON logs, EMF lines) stays on stdout, where the caller can check it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export interface ColdInvocation {
  readonly initWallMs: number;
  readonly initCpuMs: number;
  /** Init and first invocation together. */
  readonly totalWallMs: number;
  readonly totalCpuMs: number;
  /** What the handler returned. */
  readonly result: unknown;
  /** What the function printed (its log lines). */
  readonly stdout: string;
}

/** The process's CPU time (every thread) is read with its wall time: CPU barely moves when other work shares the machine. */
const SCRIPT = `
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const cpuMs = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
// Event and context are the runtime's work, made before the clock starts.
const event = JSON.parse(process.argv.at(-1));
const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
const context = {
  functionName: name, functionVersion: '$LATEST', memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + name, awsRequestId: process.env.BENCH_REQUEST_ID,
  logGroupName: '/aws/lambda/' + name, logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000,
};
const cpu = process.cpuUsage(), started = performance.now();
// As the Lambda runtime loads a handler: an ES module (.mjs) by import(), a CommonJS one by require().
const url = process.env.BENCH_BUNDLE_URL;
const { handler } = url.endsWith('.mjs') ? await import(url) : createRequire(import.meta.url)(fileURLToPath(url));
const initWallMs = performance.now() - started, initCpuMs = cpuMs(cpu);
const result = await handler(event, context);
const totalWallMs = performance.now() - started, totalCpuMs = cpuMs(cpu);
writeSync(3, JSON.stringify({ initWallMs, initCpuMs, totalWallMs, totalCpuMs, result: result ?? null }));
// Lambda freezes the environment here; the wait lets trace datagrams sent at the handler's end go out.
setTimeout(() => process.exit(0), 100);
`;

/**
 * Loads `bundle` in a fresh process with `environment` only and invokes its `handler` once with `event`;
 * `nodeFlags` go to that Node (e.g. `--cpu-prof`).
 */
export function coldInvocation(bundle: string, environment: Record<string, string>, event: unknown, cwd: string, nodeFlags: readonly string[] = []): Promise<ColdInvocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--input-type=module', '-e', SCRIPT, JSON.stringify(event)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...environment, BENCH_BUNDLE_URL: pathToFileURL(bundle).href, BENCH_REQUEST_ID: randomUUID() },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[], figures: [] as Buffer[] };
    child.stdout!.on('data', (chunk: Buffer) => streams.stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => streams.stderr.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => streams.figures.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const figures = Buffer.concat(streams.figures).toString();
      if (code !== 0 || figures === '') {
        reject(new Error(`${bundle} exited ${code}: ${Buffer.concat(streams.stderr).toString().slice(-2000)}`));
        return;
      }
      resolve({ ...(JSON.parse(figures) as Omit<ColdInvocation, 'stdout'>), stdout: Buffer.concat(streams.stdout).toString() });
    });
  });
}
