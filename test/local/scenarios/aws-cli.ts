/**
 * The AWS CLI installed on these machines, run exactly as the README tells a user to: `aws --endpoint-url
 * <local endpoint> ...` with any credentials and a region, nothing read from the developer's own config.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A function running `aws --endpoint-url <endpoint> --output json ...args`: resolves stdout, rejects with stderr and the exit code. */
export function awsCli(endpoint: string): (...args: string[]) => Promise<string> {
  const home = mkdtempSync(path.join(tmpdir(), 'tidewatch-aws-cli-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_PAGER: '',
  };
  return async (...args) => (await run('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env, cwd: home })).stdout;
}
