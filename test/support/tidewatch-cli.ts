/** Runs the `tidewatch` CLI as its bin line does (Node with tsx as a loader), with its output collected. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { LOCAL_CREDENTIALS } from '../../contract/local-cloud';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
/** The local cloud's credentials, as the README's set-up exports them, and a region. */
const LOCAL_ENV = { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' };

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tidewatch <args>` with local credentials and no colours. */
export function runTidewatch(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/tidewatch.ts', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...LOCAL_ENV, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
