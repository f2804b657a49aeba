/**
 * CI runs the README's test command, the one .ci/run runs, on every push and pull request, with read
 * access to the code only.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project';
import { actionOf, loadWorkflow, pinnedNodeMajor, stepOf } from './workflow';

/** The command on the README's line that says it is what CI runs. */
function readmeTestCommand(): string {
  const line = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    .split('\n')
    .find((candidate) => candidate.includes('# all tests (what CI runs)'));
  return line!.split('#')[0]!.trim();
}

const ci = loadWorkflow('ci.yml');
const test = ci.jobs.test!;

describe('ci.yml', () => {
  it('runs on every push and every pull request', () => {
    expect(ci.on).toEqual({ push: null, pull_request: null });
  });

  it('reads the code and nothing else', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(ci.jobs)) expect(job.permissions).toBeUndefined();
  });

  it("runs exactly the README's test command, which is .ci/run's", () => {
    const command = readmeTestCommand();
    expect(command).toBe('npm ci && npm test');
    expect(stepOf(test, 'test').run?.trim()).toBe(command);
    expect(readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8').trim().split('\n').at(-1)).toBe(command);
  });

  it('checks out, then sets up the Node major the project pins, then tests, with actions pinned to commits', () => {
    expect(test.steps.map((step) => step.id)).toEqual(['checkout', 'setup-node', 'test']);
    expect(actionOf(stepOf(test, 'checkout'))).toBe('actions/checkout');
    expect(stepOf(test, 'checkout').with).toMatchObject({ 'persist-credentials': false });
    expect(actionOf(stepOf(test, 'setup-node'))).toBe('actions/setup-node');
    expect(stepOf(test, 'setup-node').with?.['node-version']).toBe(pinnedNodeMajor());
    for (const step of test.steps.filter((candidate) => candidate.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  });

  it('cancels a run made moot by a newer commit on the same ref', () => {
    expect(ci.concurrency).toEqual({ group: 'ci-${{ github.ref }}', 'cancel-in-progress': true });
  });
});
