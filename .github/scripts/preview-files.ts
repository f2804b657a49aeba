/**
 * What the preview workflow publishes, written from `cdk deploy --outputs-file`: after a deploy the
 * console's `config.js` and the pull request comment, after a teardown the comment saying so. The
 * comment starts with a marker, so the workflow finds and replaces its one comment instead of adding one
 * per push.
 *
 *   tsx .github/scripts/preview-files.ts deployed --stack Tidewatch-pr42 --outputs cdk-outputs.json --sha <commit> --run-url <url> --out preview
 *   tsx .github/scripts/preview-files.ts removed --stack Tidewatch-pr42 --run-url <url> --out preview
 *
 * Files go to `--out`; `bucket`, `config-key` and `config-path` go to $GITHUB_OUTPUT when it is set.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONSOLE_CONFIG_KEY, CONSOLE_PREFIX, renderConsoleConfig } from '../../contract/console-config';
import type { StackOutputKey } from '../../contract/outputs';

/** The hidden first line of the one comment the workflow keeps on a pull request. */
export const PREVIEW_COMMENT_MARKER = '<!-- tidewatch-preview -->';

/** What the comment links, from the stack's outputs. */
interface PreviewUrls {
  readonly console: string;
  readonly api: string;
  readonly jobs: string;
}

/** The outputs of one stack in a `cdk deploy --outputs-file` file (`{ "<stack>": { "<key>": "<value>" } }`). */
function stackOutputs(outputsFile: unknown, stack: string): Record<string, string> {
  const outputs = (outputsFile as Record<string, Record<string, string> | undefined> | null)?.[stack];
  if (outputs === undefined) throw new Error(`the outputs file has no stack ${stack}`);
  return outputs;
}

function output(outputs: Record<string, string>, key: StackOutputKey): string {
  const value = outputs[key];
  if (value === undefined || value === '') throw new Error(`the stack has no ${key} output`);
  return value;
}

/** The console is served by the distribution at its bucket path; the API's URL ends in `/`. */
function previewUrls(outputs: Record<string, string>): PreviewUrls {
  const api = output(outputs, 'ApiUrl');
  return { console: `${output(outputs, 'DownloadUrl')}${CONSOLE_PREFIX}index.html`, api, jobs: `${api}jobs` };
}

function deployedComment(stack: string, urls: PreviewUrls, sha: string, runUrl: string): string {
  return [
    PREVIEW_COMMENT_MARKER,
    `### Preview \`${stack}\` is up`,
    '',
    '| | URL |',
    '|---|---|',
    `| Console | ${urls.console} |`,
    `| API | ${urls.api} |`,
    `| Jobs (\`POST\`, then \`GET /jobs/{id}\`) | ${urls.jobs} |`,
    '',
    `Deployed from ${sha} by [this run](${runUrl}). It is destroyed when the pull request closes.`,
    '',
  ].join('\n');
}

function removedComment(stack: string, runUrl: string): string {
  return [PREVIEW_COMMENT_MARKER, `### Preview \`${stack}\` was removed`, '', `The pull request closed; [this run](${runUrl}) destroyed the stack.`, ''].join('\n');
}

/** Writes the files of one event to `out`; returns the values for $GITHUB_OUTPUT. */
export function writePreviewFiles(event: string, options: Record<string, string | undefined>): Record<string, string> {
  const need = (name: string) => {
    const value = options[name];
    if (!value) throw new Error(`--${name} is required for ${event}`);
    return value;
  };
  const out = need('out');
  mkdirSync(out, { recursive: true });
  if (event === 'removed') {
    writeFileSync(path.join(out, 'comment.md'), removedComment(need('stack'), need('run-url')));
    return {};
  }
  if (event !== 'deployed') throw new Error(`unknown event ${JSON.stringify(event)}: deployed or removed`);
  const outputs = stackOutputs(JSON.parse(readFileSync(need('outputs'), 'utf8')), need('stack'));
  writeFileSync(path.join(out, 'config.js'), renderConsoleConfig({ apiUrl: output(outputs, 'ApiUrl') }));
  writeFileSync(path.join(out, 'comment.md'), deployedComment(need('stack'), previewUrls(outputs), need('sha'), need('run-url')));
  // The distribution serves a bucket key under the same path.
  return { bucket: output(outputs, 'BucketName'), 'config-key': CONSOLE_CONFIG_KEY, 'config-path': `/${CONSOLE_CONFIG_KEY}` };
}

function main(argv: string[]): number {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { stack: { type: 'string' }, outputs: { type: 'string' }, sha: { type: 'string' }, 'run-url': { type: 'string' }, out: { type: 'string' } },
    });
    const results = writePreviewFiles(positionals[0] ?? '', values);
    const lines = Object.entries(results).map(([key, value]) => `${key}=${value}\n`).join('');
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines);
    process.stdout.write(lines);
    return 0;
  } catch (error) {
    process.stderr.write(`preview-files: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
