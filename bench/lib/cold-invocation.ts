/**
 * One cold start as Lambda runs it: a fresh Node process started with the flags Lambda's bootstrap
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
  /** From the process's start to the first invocation's answer. */
  readonly totalWallMs: number;
  /** The process's CPU (every thread) from its start to the answer posted. */
  readonly processCpuMs: number;
  /**
   * The part of it spent while the runtime fetched the event and posted the answer: the two Runtime API
   * exchanges, and whatever else ran meanwhile (a function's queued work, V8's background threads).
   */
  readonly exchangeCpuMs: number;
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

export interface ColdInvocationOptions {
  /** Flags for the measured Node besides Lambda's (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[];
  /** The invocation's timeout: its deadline as the runtime hears it, and when the process is stopped. Default 30. */
  readonly timeoutSeconds?: number;
}

interface StandInFigures {
  timeOrigin: number;
  runtimeReadyCpuMs: number;
  initCpuMs: number;
  eventReceivedCpuMs: number;
  handlerReturnedCpuMs: number;
  answeredCpuMs: number;
}

/** Lambda's limit on the init phase. */
const INIT_TIMEOUT_MS = 10_000;

const STAND_IN = fileURLToPath(new URL('./lambda-runtime-stand-in.mjs', import.meta.url));

/** The Node flags Lambda's Node.js bootstrap derives from the function's memory: a tenth of it for the young generation. */
export function lambdaNodeFlags(memoryMiB: number): string[] {
  const youngMiB = Math.floor(memoryMiB / 10);
  return ['--expose-gc', '--max-http-header-size', '81920', `--max-semi-space-size=${Math.floor(youngMiB / 2)}`, `--max-old-space-size=${memoryMiB - youngMiB}`];
}

/**
 * Starts `bundle`'s handler cold with `environment` only (the function's, with AWS_LAMBDA_FUNCTION_NAME,
 * AWS_LAMBDA_FUNCTION_MEMORY_SIZE and AWS_REGION) and invokes it once with `event`. A process that
 * overruns Lambda's init limit or the invocation's timeout is killed, and the call fails.
 */
export async function coldInvocation(bundle: string, environment: Record<string, string>, event: unknown, cwd: string, options: ColdInvocationOptions = {}): Promise<ColdInvocation> {
  const timeoutSeconds = options.timeoutSeconds ?? 30;
  const functionArn = `arn:aws:lambda:${environment.AWS_REGION}:000000000000:function:${environment.AWS_LAMBDA_FUNCTION_NAME}`;
  const api = await openRuntimeApi(event, functionArn, timeoutSeconds);
  let deadline: NodeJS.Timeout | undefined;
  try {
    const memoryMiB = Number(environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
    const child = spawn(process.execPath, [...lambdaNodeFlags(memoryMiB), ...(options.nodeFlags ?? []), STAND_IN], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        ...environment,
        AWS_LAMBDA_RUNTIME_API: api.address,
        LAMBDA_TASK_ROOT: path.dirname(bundle),
        _HANDLER: `${path.basename(bundle).replace(/\.[cm]?js$/, '')}.handler`,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[], figures: [] as Buffer[] };
    child.stdout!.on('data', (chunk: Buffer) => streams.stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => streams.stderr.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => streams.figures.push(chunk));
    const exited = new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    const failed = (why: string) => new Error(`${bundle} ${why}: ${Buffer.concat(streams.stderr).toString().slice(-2000)}`);
    const overran = new Promise<{ overran: string }>((resolve) => {
      const stopAfter = (ms: number, phase: string) => {
        clearTimeout(deadline);
        deadline = setTimeout(() => {
          child.kill('SIGKILL');
          resolve({ overran: `${phase} ran over ${ms} ms` });
        }, ms);
      };
      stopAfter(INIT_TIMEOUT_MS, 'init');
      void api.invoked.then(() => stopAfter(timeoutSeconds * 1000, 'the invocation'));
    });
    // A process that dies or overruns before it answers settles the race.
    const answer = await Promise.race([api.answer, exited.then((code) => ({ exitedFirst: code })), overran]);
    if ('overran' in answer) throw failed(answer.overran);
    if ('exitedFirst' in answer) throw failed(`exited ${answer.exitedFirst} before it answered`);
    const code = await exited;
    const text = Buffer.concat(streams.figures).toString();
    if (code !== 0 || text === '') throw failed(`exited ${code}`);
    const figures = JSON.parse(text) as StandInFigures;
    const codeInitCpuMs = figures.initCpuMs - figures.runtimeReadyCpuMs;
    return {
      initWallMs: answer.nextAt - figures.timeOrigin,
      totalWallMs: answer.answeredAt - figures.timeOrigin,
      processCpuMs: figures.answeredCpuMs,
      exchangeCpuMs: figures.eventReceivedCpuMs - figures.initCpuMs + (figures.answeredCpuMs - figures.handlerReturnedCpuMs),
      runtimeStartCpuMs: figures.runtimeReadyCpuMs,
      codeInitCpuMs,
      codeCpuMs: codeInitCpuMs + (figures.handlerReturnedCpuMs - figures.eventReceivedCpuMs),
      result: answer.result,
      stdout: Buffer.concat(streams.stdout).toString(),
    };
  } finally {
    clearTimeout(deadline);
    api.close();
  }
}
