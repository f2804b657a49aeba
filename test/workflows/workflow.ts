/**
 * The repository's GitHub Actions workflows as data, for tests of their structure (they cannot run here).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../lib/project';

export const WORKFLOWS_DIR = path.join(PROJECT_ROOT, '.github', 'workflows');

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}

export interface Job {
  readonly name?: string;
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly 'timeout-minutes'?: number;
  readonly steps: readonly Step[];
}

export interface Workflow {
  readonly name: string;
  /** `on`, which YAML 1.2 keeps a string key. */
  readonly on: Record<string, { types?: string[] } | null>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export function loadWorkflow(file: string): Workflow {
  return parse(readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
}

/** The step with this id; fails the test when there is none. */
export function stepOf(job: Job, id: string): Step {
  const step = job.steps.find((candidate) => candidate.id === id);
  if (!step) throw new Error(`no step ${id} in job ${job.name}`);
  return step;
}

/** The action a `uses:` names, without its ref: `actions/checkout`. */
export function actionOf(step: Step): string | undefined {
  return step.uses?.split('@')[0];
}

/** The major of the Node the project pins (its `node` devDependency). */
export function pinnedNodeMajor(): number {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return Number(pkg.devDependencies.node!.split('.')[0]);
}
