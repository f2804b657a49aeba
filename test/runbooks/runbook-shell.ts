/**
 * Running runbook commands the way an on-call does: with bash, from the repository root, in the
 * environment a runbook's "Before you start" block sets up (the local cloud's endpoint, any credentials,
 * nothing from this machine's own AWS config) and `source runbooks/env.sh` adds.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The aws CLI's own directory first: the pyenv shim in front of it costs about half a second of CPU a call. */
function pathWithRealAwsCli(): string | undefined {
  const which = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
  const real = which.status === 0 ? which.stdout.trim() : '';
  return real ? [path.dirname(real), process.env.PATH].join(path.delimiter) : process.env.PATH;
}

/** As a runbook's "Before you start" block sets it up for the local cloud at `endpoint`. */
export function runbookEnv(endpoint: string, stage: string, stateDirectory: string): NodeJS.ProcessEnv {
  return {
    PATH: pathWithRealAwsCli(),
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: endpoint,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: path.join(stateDirectory, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(stateDirectory, 'no-aws-credentials'),
    AWS_PAGER: '',
    TIDEWATCH_STAGE: stage,
  };
}

/** Runs a script with bash from the repository root; killed (and said so on stderr) after `budgetMs`. */
export function bash(script: string, env: NodeJS.ProcessEnv, budgetMs: number, args: string[] = []): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bash', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), budgetMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: code === null ? `${stderr}\n(killed after ${budgetMs} ms)` : stderr });
    });
  });
}

/** `source runbooks/env.sh <stage> [queue]` as the runbooks do; its shell functions exported, so that each command's own bash has them. */
export async function sourceEnv(baseEnv: NodeJS.ProcessEnv, stage: string, budgetMs: number, queue?: string): Promise<NodeJS.ProcessEnv> {
  const sourced = await bash('source runbooks/env.sh "$@" && export -f $(compgen -A function) && env -0', baseEnv, budgetMs, [stage, ...(queue === undefined ? [] : [queue])]);
  if (sourced.code !== 0) throw new Error(`source runbooks/env.sh ${stage} ${queue ?? ''} failed (exit ${sourced.code}):\n${sourced.stderr}`);
  return Object.fromEntries(
    sourced.stdout
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}
