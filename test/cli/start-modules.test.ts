/**
 * What a fresh `tidewatch` process loads: help, a usage mistake or an unknown command load no package
 * and no command's module; a command loads its own module and only the SDK clients it calls. Read from
 * the child process itself, by Node's module hooks (record-loaded-modules.ts), not inferred from timings.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const RECORDER = pathToFileURL(path.join(import.meta.dirname, 'record-loaded-modules.ts')).href;

/** The modules that do the commands' work, each imported only when its command runs. */
const COMMAND_MODULES = ['status', 'dlq-peek', 'dlq-archive', 'redrive', 'redrive-status', 'redrive-history', 'review', 'cost'].map((name) => `cli/${name}.ts`);
const SDK_CLIENTS = ['client-cloudformation', 'client-cloudwatch', 'client-dynamodb', 'client-lambda', 'client-sqs', 'client-sts', 'lib-dynamodb'];

interface Started {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Project files by their path in the project; packages as `node_modules/<package>`. */
  readonly loaded: ReadonlySet<string>;
}

/** `tidewatch <args>` as its bin line runs it, with the modules it loaded. */
function startTidewatch(args: readonly string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, 'bin/tidewatch.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '', loaded: '' };
    child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    child.stdio[3]!.on('data', (chunk: Buffer) => (output.loaded += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const urls = JSON.parse(output.loaded) as string[];
      const loaded = new Set(urls.filter((url) => url.startsWith('file:')).map((url) => moduleName(fileURLToPath(url))));
      resolve({ code, stdout: output.stdout, stderr: output.stderr, loaded });
    });
  });
}

/** `node_modules/@aws-sdk/client-sqs` for any file of that package, else the path in the project. */
function moduleName(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file).split(path.sep).join('/');
  const inPackages = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(relative);
  return inPackages ? `node_modules/${inPackages[1]}` : relative;
}

describe('what a tidewatch process loads', () => {
  it.each([
    [['--help'], 0],
    [['dlq', 'peek', '--help'], 0],
    [['stauts'], 1],
    [['status', '--verbose'], 1],
    [['dlq'], 1],
  ])('%j loads no package and no command module', async (args, exitCode) => {
    const run = await startTidewatch(args);
    expect(run.code, run.stderr).toBe(exitCode);
    expect(run.loaded).toContain('cli/commands.ts');
    expect([...run.loaded].filter((name) => name.startsWith('node_modules/'))).toEqual([]);
    expect(COMMAND_MODULES.filter((name) => run.loaded.has(name))).toEqual([]);
  });

  it.each([
    [['status'], 'cli/status.ts', ['client-cloudformation', 'client-cloudwatch', 'client-sqs']],
    [['dlq', 'peek'], 'cli/dlq-peek.ts', ['client-cloudformation', 'client-dynamodb', 'client-sqs', 'lib-dynamodb']],
    [['redrive', 'history'], 'cli/redrive-history.ts', ['client-cloudformation', 'client-dynamodb', 'lib-dynamodb']],
    [['redrive', 'status', 'files'], 'cli/redrive-status.ts', ['client-cloudformation', 'client-lambda']],
    [['redrive', 'files'], 'cli/redrive.ts', ['client-cloudformation', 'client-lambda', 'client-sts']],
  ])('%j loads its own module and no SDK client but those it calls', async (args, module, calls) => {
    const run = await startTidewatch([...args, '--endpoint-url', `http://127.0.0.1:${await closedPort()}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tidewatch: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(COMMAND_MODULES.filter((name) => run.loaded.has(name))).toEqual([module]);
    // The stack's outputs come first, from CloudFormation: with nobody there, the command stops at them.
    const loadedClients = SDK_CLIENTS.filter((name) => run.loaded.has(`node_modules/@aws-sdk/${name}`));
    expect(loadedClients).toContain('client-cloudformation');
    expect(loadedClients.filter((name) => !calls.includes(name))).toEqual([]);
  });
});
