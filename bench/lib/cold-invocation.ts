/**
 * One cold start as Lambda bills it: a fresh Node process started with the flags Lambda's bootstrap
 * gives it, running a stand-in for Lambda's runtime client (lambda-runtime-stand-in.mjs) against a
 * Runtime API of the caller's, for one invocation. The init phase runs from the process's start to the
 * runtime's first request for an event (Node's start, the runtime client's and the handler's load); the
 * first invocation, to the answer posted. Beside those, the function code's own share: the handler's
 * import and its invocation, without the process and runtime start.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRuntimeApi } from './runtime-api';

export interface ColdInvocation {
  /** From the process's start to the end of init (the runtime's first request for an event). */
  readonly initWallMs: number;
  readonly initCpuMs: number;
  /** From the process's start to the first invocation's answer: what Lambda bills for a cold start. */
  readonly totalWallMs: number;
  /**
   * The same in CPU, less the two Runtime API exchanges (the event's fetch, the answer's post): Lambda's
   * runtime client makes them with a native client this stand-in does not have, and its JavaScript HTTP
   * would weigh most on the bare handler's figure.
   */
  readonly totalCpuMs: number;
  /** Node's start and the runtime client's load, before the handler's. */
  readonly runtimeStartCpuMs: number;
  /** The function code's own: the handler's import, and that plus its first invocation. */
  readonly codeInitCpuMs: number;
  readonly codeCpuMs: number;
  /** What the handler returned. */
  readonly result: unknown;
  /** What the function printed (its log lines). */
  readonly stdout: string;
}

interface StandInFigures {
  timeOrigin: number;
  runtimeReadyCpuMs: number;
  initCpuMs: number;
  eventReceivedCpuMs: number;
  handlerReturnedCpuMs: number;
}

/** The invocation's deadline, as the runtime hears it; a cold start here takes well under it. */
const TIMEOUT_SECONDS = 30;

const STAND_IN = fileURLToPath(new URL('./lambda-runtime-stand-in.mjs', import.meta.url));

/** The Node flags Lambda's Node.js bootstrap derives from the function's memory: a tenth of it for the young generation. */
export function lambdaNodeFlags(memoryMiB: number): string[] {
  const youngMiB = Math.floor(memoryMiB / 10);
  return ['--expose-gc', '--max-http-header-size', '81920', `--max-semi-space-size=${Math.floor(youngMiB / 2)}`, `--max-old-space-size=${memoryMiB - youngMiB}`];
}

/**
 * Starts `bundle`'s handler cold with `environment` only (the function's, with AWS_LAMBDA_FUNCTION_NAME,
 * AWS_LAMBDA_FUNCTION_MEMORY_SIZE and AWS_REGION) and invokes it once with `event`; `nodeFlags` go to that Node too (e.g. `--cpu-prof`).
 */
export async function coldInvocation(bundle: string, environment: Record<string, string>, event: unknown, cwd: string, nodeFlags: readonly string[] = []): Promise<ColdInvocation> {
  const functionArn = `arn:aws:lambda:${environment.AWS_REGION}:000000000000:function:${environment.AWS_LAMBDA_FUNCTION_NAME}`;
  const api = await openRuntimeApi(event, functionArn, TIMEOUT_SECONDS);
  try {
    const memoryMiB = Number(environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
    const child = spawn(process.execPath, [...lambdaNodeFlags(memoryMiB), ...nodeFlags, STAND_IN], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        ...environment,
        AWS_LAMBDA_RUNTIME_API: api.address,
        LAMBDA_TASK_ROOT: path.dirname(bundle),
        _HANDLER: `${path.basename(bundle).replace(/\.m?js$/, '')}.handler`,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[], figures: [] as Buffer[] };
    child.stdout!.on('data', (chunk: Buffer) => streams.stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => streams.stderr.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => streams.figures.push(chunk));
    const exited = new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    const failed = (why: string) => new Error(`${bundle} ${why}: ${Buffer.concat(streams.stderr).toString().slice(-2000)}`);
    // A process that dies before it answers settles the race with its exit.
    const answer = await Promise.race([api.answer, exited.then((code) => ({ exitedFirst: code }))]);
    if ('exitedFirst' in answer) throw failed(`exited ${answer.exitedFirst} before it answered`);
    const code = await exited;
    const text = Buffer.concat(streams.figures).toString();
    if (code !== 0 || text === '') throw failed(`exited ${code}`);
    const figures = JSON.parse(text) as StandInFigures;
    const codeInitCpuMs = figures.initCpuMs - figures.runtimeReadyCpuMs;
    const codeCpuMs = codeInitCpuMs + (figures.handlerReturnedCpuMs - figures.eventReceivedCpuMs);
    return {
      initWallMs: answer.nextAt - figures.timeOrigin,
      initCpuMs: figures.initCpuMs,
      totalWallMs: answer.answeredAt - figures.timeOrigin,
      totalCpuMs: figures.runtimeReadyCpuMs + codeCpuMs,
      runtimeStartCpuMs: figures.runtimeReadyCpuMs,
      codeInitCpuMs,
      codeCpuMs,
      result: answer.result,
      stdout: Buffer.concat(streams.stdout).toString(),
    };
  } finally {
    api.close();
  }
}
