/** Starts the soak's local cloud in its own process (cloud-process.ts), kills it with SIGKILL, starts it again. */
import { closeSync, openSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export interface CloudEndpoints {
  readonly aws: string;
  readonly api: string;
  readonly region: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface CloudProcessOptions {
  readonly stateDirectory: string;
  readonly ledger: string;
  readonly crashEverySeconds: number;
  /** Longest a start may take before the soak gives up. */
  readonly startTimeoutMs: number;
}

const CLOUD_PROCESS = fileURLToPath(new URL('./cloud-process.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class CloudProcess {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly options: CloudProcessOptions,
    /** Fixed for every start, as `npm start`'s ports are: clients keep their endpoints across a restart. */
    private readonly ports: readonly [number, number, number],
  ) {}

  static async create(options: CloudProcessOptions): Promise<CloudProcess> {
    return new CloudProcess(options, [await freePort(), await freePort(), await freePort()]);
  }

  async start(): Promise<CloudEndpoints> {
    const [port, apiPort, downloadPort] = this.ports;
    const args = [CLOUD_PROCESS, '--state', this.options.stateDirectory, '--ledger', this.options.ledger];
    args.push('--port', String(port), '--api-port', String(apiPort), '--download-port', String(downloadPort));
    args.push('--crash-every', String(this.options.crashEverySeconds));
    // Node itself with tsx as a loader, not the tsx command, which runs the script in a child process
    // of its own: a SIGKILL to the command would leave that child, the cloud, running.
    // Its stderr goes to its log, beside what it prints: a kill makes its esbuild service (tsx's) print a
    // goroutine dump as it loses its parent, which is no news to the soak's reader.
    const stderr = openSync(join(this.options.stateDirectory, 'cloud.log'), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', stderr] });
    closeSync(stderr);
    this.child = child;
    return new Promise<CloudEndpoints>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the local cloud did not start within ${this.options.startTimeoutMs / 1000} s`)), this.options.startTimeoutMs);
      child.once('exit', (code, signal) => reject(new Error(`the local cloud exited during start (${signal ?? code})`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.startsWith('{"ready"')) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { ready: CloudEndpoints }).ready);
      });
    });
  }

  /** `kill -9`: no clean stop, no flush; resolves once the process is gone. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /**
   * Ends the crashes (SIGUSR2): once the load is in, crashing whatever is busy every few seconds would crash
   * nearly every batch of the last few items, each one 6 visibility timeouts later, until SQS dead-letters it.
   */
  stopCrashes(): void {
    // Without crashes the process has no handler for it, and SIGUSR2 would end it.
    if (this.options.crashEverySeconds > 0) this.child?.kill('SIGUSR2');
  }

  /** A clean stop at the end of the soak. */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
