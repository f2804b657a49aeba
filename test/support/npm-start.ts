/**
 * `npm start` as a person runs it from a terminal: the project's own script through npm, in a process
 * group of its own (a terminal's foreground job), so a Ctrl-C reaches npm and everything under it at
 * once, as the terminal sends it. Free ports and a data directory of its own: it never touches the
 * project's `.tidewatch/` or another local cloud.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from './eventually';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class NpmStart {
  /** Where this run keeps its data, logs (`logs/<function>.log`) and outputs. */
  readonly dataDir = mkdtempSync(join(tmpdir(), 'tidewatch-npm-start-'));
  stdout = '';
  stderr = '';
  private readonly child: ChildProcess;
  private exit: Exit | undefined;

  constructor(args: readonly string[] = []) {
    this.child = spawn('npm', ['start', '--', '--port', '0', '--api-port', '0', '--download-port', '0', '--data-dir', this.dataDir, ...args], {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('error', (error) => (this.stderr += `spawn failed: ${error.message}\n`));
    this.child.on('close', (code, signal) => (this.exit = { code, signal }));
  }

  /** Waits until stdout matches `pattern` (or the run ends, which fails the wait). */
  async waitFor(pattern: RegExp, what: string, timeoutMs: number): Promise<RegExpMatchArray> {
    return eventually(
      async () => {
        const match = this.stdout.match(pattern);
        if (!match && this.exit) throw new Error(`npm start exited (${JSON.stringify(this.exit)}) before ${what}:\n${this.stdout}\n${this.stderr}`);
        return match ?? undefined;
      },
      what,
      timeoutMs,
      100,
    );
  }

  /** Waits for "Ready" and returns the endpoints it printed: the HTTP API's base URL and the AWS endpoint. */
  async ready(timeoutMs: number): Promise<{ api: string; aws: string }> {
    await this.waitFor(/^Ready in /m, 'npm start to be ready', timeoutMs);
    const printed = (label: string) => (this.stdout.match(new RegExp(`^${label} +(\\S+)`, 'm')) as RegExpMatchArray)[1];
    return { api: printed('HTTP API'), aws: printed('AWS endpoint') };
  }

  /** Waits for npm to exit and its output to close. */
  async exitWithin(timeoutMs: number): Promise<Exit> {
    try {
      return await eventually(async () => this.exit, 'npm start to exit', timeoutMs, 100);
    } catch (error) {
      throw new Error(`${(error as Error).message}; its output:\n${this.stdout}\n${this.stderr}`);
    }
  }

  /** Ctrl-C as a terminal sends it: SIGINT to every process of the group. */
  pressCtrlC(): void {
    process.kill(-(this.child.pid as number), 'SIGINT');
  }

  /** A crash (`kill -9`): SIGKILL to every process of the group, nothing stopped cleanly; the data directory stays. */
  killNine(timeoutMs: number): Promise<Exit> {
    process.kill(-(this.child.pid as number), 'SIGKILL');
    return this.exitWithin(timeoutMs);
  }

  /** Ends whatever is left of the group (a test that failed half way) and removes the data directory. */
  dispose(): void {
    if (!this.exit) {
      try {
        process.kill(-(this.child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
