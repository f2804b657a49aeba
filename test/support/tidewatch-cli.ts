/** Runs the `tidewatch` CLI as a user does: a child process of the project's tsx, with its output collected. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
/** The local cloud takes any credentials; the CLI still wants some, and a region. */
const LOCAL_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tidewatch <args>` with local credentials and no colours. */
export function runTidewatch(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['bin/tidewatch.ts', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...LOCAL_CREDENTIALS, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
