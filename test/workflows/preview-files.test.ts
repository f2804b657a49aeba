/**
 * What the preview workflow publishes, from a `cdk deploy --outputs-file` file: the console's config.js
 * (run here as the browser would, to read what it sets), the pull request comment with its marker and
 * URLs, and the step outputs the upload and the invalidation use; run as the workflow runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_CONFIG_GLOBAL, CONSOLE_CONFIG_KEY } from '../../contract/console-config';
import { STACK_OUTPUT_KEYS } from '../../contract/outputs';
import { PROJECT_ROOT } from '../../lib/project';
import { PREVIEW_COMMENT_MARKER, writePreviewFiles } from '../../.github/scripts/preview-files';

const SCRIPT = path.join(PROJECT_ROOT, '.github', 'scripts', 'preview-files.ts');
const STACK = 'Tidewatch-pr42';
const RUN_URL = 'https://github.com/tidewatch/tidewatch/actions/runs/123456';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const OUTPUTS: Record<string, string> = {
  ...Object.fromEntries(STACK_OUTPUT_KEYS.map((key) => [key, `value-of-${key}`])),
  ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/',
  DownloadUrl: 'https://d111111abcdef8.cloudfront.net/',
  BucketName: 'tidewatch-pr42-uploadsbucketc4b27cc7-1x2y3z',
};

const scratch = mkdtempSync(path.join(tmpdir(), 'tidewatch-preview-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const outputsFile = path.join(scratch, 'cdk-outputs.json');
writeFileSync(outputsFile, JSON.stringify({ [STACK]: OUTPUTS }));

function run(args: string[], githubOutput: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, GITHUB_OUTPUT: githubOutput },
  });
}

describe('after a deploy', () => {
  const out = path.join(scratch, 'deployed');
  const githubOutput = path.join(scratch, 'deployed-output');
  writeFileSync(githubOutput, '');
  const result = run(['deployed', '--stack', STACK, '--outputs', outputsFile, '--sha', SHA, '--run-url', RUN_URL, '--out', out], githubOutput);

  it('succeeds', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("writes a config.js that gives the console the stack's API URL", () => {
    const window: Record<string, unknown> = {};
    runInNewContext(readFileSync(path.join(out, 'config.js'), 'utf8'), { window });
    expect(window[CONSOLE_CONFIG_GLOBAL]).toEqual({ apiUrl: OUTPUTS.ApiUrl });
  });

  it('tells the upload and the invalidation where: the bucket, the key and the one path', () => {
    expect(readFileSync(githubOutput, 'utf8')).toBe(`bucket=${OUTPUTS.BucketName}\nconfig-key=${CONSOLE_CONFIG_KEY}\nconfig-path=/${CONSOLE_CONFIG_KEY}\n`);
    expect(CONSOLE_CONFIG_KEY).toBe('site/config.js');
  });

  it('writes the comment: marker first, then the console, API and jobs URLs, the commit and the run', () => {
    const comment = readFileSync(path.join(out, 'comment.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe(PREVIEW_COMMENT_MARKER);
    expect(comment).toContain(`| Console | https://d111111abcdef8.cloudfront.net/site/index.html |`);
    expect(comment).toContain(`| API | ${OUTPUTS.ApiUrl} |`);
    expect(comment).toContain(`${OUTPUTS.ApiUrl}jobs |`);
    expect(comment).toContain(SHA);
    expect(comment).toContain(`[this run](${RUN_URL})`);
    expect(comment).toContain(STACK);
  });
});

describe('after a teardown', () => {
  it('writes the comment saying the stack is gone, with the same marker', () => {
    const out = path.join(scratch, 'removed');
    const githubOutput = path.join(scratch, 'removed-output');
    writeFileSync(githubOutput, '');
    const result = run(['removed', '--stack', STACK, '--run-url', RUN_URL, '--out', out], githubOutput);
    expect(result.status).toBe(0);
    const comment = readFileSync(path.join(out, 'comment.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe(PREVIEW_COMMENT_MARKER);
    expect(comment).toContain(`\`${STACK}\` was removed`);
    expect(readFileSync(githubOutput, 'utf8')).toBe('');
  });
});

describe('what it refuses, with a message and exit code 1', () => {
  it('fails the step on a stack the outputs file does not have', () => {
    const result = run(['deployed', '--stack', 'Tidewatch-pr7', '--outputs', outputsFile, '--sha', SHA, '--run-url', RUN_URL, '--out', scratch], path.join(scratch, 'unused'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('preview-files: the outputs file has no stack Tidewatch-pr7\n');
  });

  it.each([
    ['published', { out: scratch }, /unknown event "published": deployed or removed/],
    ['deployed', { out: scratch, stack: STACK, outputs: outputsFile, 'run-url': RUN_URL }, /--sha is required for deployed/],
    ['removed', { stack: STACK, 'run-url': RUN_URL }, /--out is required for removed/],
  ])('%s %j', (event, options, message) => {
    expect(() => writePreviewFiles(event, options)).toThrow(message);
  });

  it('names an output the stack lacks', () => {
    const partial = path.join(scratch, 'partial-outputs.json');
    writeFileSync(partial, JSON.stringify({ [STACK]: { ...OUTPUTS, ApiUrl: undefined } }));
    expect(() => writePreviewFiles('deployed', { out: scratch, stack: STACK, outputs: partial, sha: SHA, 'run-url': RUN_URL })).toThrow(/the stack has no ApiUrl output/);
  });
});
