/**
 * Runbooks: every catalogue alarm has `runbooks/<id>.md` and every runbook an alarm; each has the same
 * sections, states its severity, names the variables its commands expect (all set by runbooks/env.sh),
 * and has one `bash diagnose` block of read-only commands that bash can parse. Nothing deletes without
 * a peek first, and nothing purges.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { alarmCatalogue, type WorkQueueName } from '../../lib/alarms/catalogue';
import { DEFAULT_CONFIG } from '../../lib/config';
import { PROJECT_ROOT } from '../../lib/instrumented-function';
import { diagnoseBlocks } from '../runbooks/runbook-markdown';

const RUNBOOKS = path.join(PROJECT_ROOT, 'runbooks');
const catalogue = alarmCatalogue({
  stage: 'dev',
  workQueues: (['files', 'jobs'] as WorkQueueName[]).map((name) => ({
    name,
    queueName: `${name}-queue`,
    deadLetterQueueName: `${name}-dlq`,
    workerFunctionName: `${name}-worker`,
    workerTimeout: Duration.seconds(DEFAULT_CONFIG[name].workerTimeoutSeconds),
    maxMessageAge: Duration.seconds(DEFAULT_CONFIG[name].maxMessageAgeSeconds),
  })),
  apiId: 'api',
  successSloPercent: DEFAULT_CONFIG.successSloPercent,
  freshnessSloPercent: DEFAULT_CONFIG.freshnessSloPercent,
  freshnessSloBound: Duration.seconds(DEFAULT_CONFIG.freshnessSloSeconds),
});
const runbookFiles = readdirSync(RUNBOOKS).filter((file) => file.endsWith('.md'));
/** A runbook's text; empty when it is missing (the first test names it). */
const read = (runbook: string) => (existsSync(path.join(RUNBOOKS, `${runbook}.md`)) ? readFileSync(path.join(RUNBOOKS, `${runbook}.md`), 'utf8') : '');

const SECTIONS = ['What fired', 'Impact', 'Diagnose', 'Mitigate', 'Escalate', 'Verify recovery'];
/** Commands that change something: never in a diagnose block. */
const MUTATING = /\b(delete-\w+|purge-queue|start-message-move-task|cancel-message-move-task|send-message\w*|put-\w+|update-\w+|set-alarm-state|redrive)\b|-X (PUT|DELETE)|\bPOST \/jobs\b/;

/** The variables env.sh exports, and the shell functions it defines. */
const envScript = readFileSync(path.join(RUNBOOKS, 'env.sh'), 'utf8');
const ENV_VARIABLES = new Set([...envScript.matchAll(/^\s*export (\w+)=/gm)].map((m) => m[1]!));
const ENV_FUNCTIONS = new Set([...envScript.matchAll(/^(\w+)\(\) \{/gm)].map((m) => m[1]!));

/** Variables a shell snippet reads: `$NAME` and `${NAME...}`. */
function variablesUsed(script: string): string[] {
  return [...new Set([...script.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!))];
}

/** The variables a runbook says it needs, from its "Before you start" line. */
function declaredNeeds(markdown: string): string[] {
  const lines = markdown.split('\n');
  const line = lines[lines.findIndex((l) => l.startsWith('**Before you start**')) + 1];
  return [...(line ?? '').matchAll(/`([A-Z_][A-Z0-9_]*)`/g)].map((m) => m[1]!);
}

describe('runbooks and alarms', () => {
  it('every catalogue alarm has its runbook, named after it', () => {
    for (const entry of catalogue) expect(entry.runbook).toBe(entry.id);
    expect(catalogue.map((entry) => `${entry.runbook}.md`).filter((file) => !runbookFiles.includes(file))).toEqual([]);
  });

  it('every runbook belongs to a catalogue alarm', () => {
    const runbooks = new Set(catalogue.map((entry) => `${entry.runbook}.md`));
    expect(runbookFiles.filter((file) => !runbooks.has(file))).toEqual([]);
  });
});

describe.each(catalogue.map((entry) => [entry.id, entry] as const))('runbooks/%s.md', (id, entry) => {
  const markdown = read(entry.runbook);
  const blocks = diagnoseBlocks(markdown);

  it('opens with the alarm id, title and severity', () => {
    expect(markdown.split('\n')[0]).toBe(`# ${id}: ${entry.title}`);
    expect(markdown).toContain(`**Severity: ${entry.severity}.**`);
  });

  it('has what fired, impact, diagnose, mitigate, escalate and verify recovery, in that order', () => {
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(SECTIONS);
  });

  it('has one bash diagnose block that bash can parse', () => {
    expect(blocks).toHaveLength(1);
    const commands = blocks[0]!.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const syntax = spawnSync('bash', ['-n'], { input: blocks[0], encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
  });

  it('diagnoses with read-only commands only, and looks at this alarm', () => {
    expect(blocks[0]).not.toMatch(MUTATING);
    expect(markdown).toContain(`"$STACK-${id}"`);
  });

  it('names the variables its commands expect, all set by runbooks/env.sh (no endpoint variable)', () => {
    const needs = declaredNeeds(markdown);
    expect(needs.length).toBeGreaterThan(0);
    for (const name of needs) expect(ENV_VARIABLES, name).toContain(name);
    const used = variablesUsed(blocks.join('\n'));
    for (const name of used) expect(needs, `${name} used in the diagnose block`).toContain(name);
    expect(blocks[0]).not.toMatch(/--endpoint-url|\$ENDPOINT/);
    for (const [, fn] of blocks[0]!.matchAll(/\$\((\w+) /g)) expect(ENV_FUNCTIONS.has(fn!) || ['aws', 'date'].includes(fn!), fn).toBe(true);
  });

  it('never purges, and deletes a message only after peeking at it', () => {
    expect(markdown).not.toContain('purge-queue');
    const remove = markdown.indexOf('delete-message');
    if (remove !== -1) expect(markdown.lastIndexOf('receive-message', remove)).toBeGreaterThan(-1);
  });
});

describe('runbooks/env.sh', () => {
  it('is valid bash and sets every variable the runbooks name', () => {
    expect(spawnSync('bash', ['-n', path.join(RUNBOOKS, 'env.sh')], { encoding: 'utf8' }).status).toBe(0);
    const named = new Set(catalogue.flatMap((entry) => declaredNeeds(read(entry.runbook))));
    expect([...named].filter((name) => !ENV_VARIABLES.has(name))).toEqual([]);
  });
});
