/**
 * Runbooks: one per alarm kind, written for any work queue, plus the procedures contract/runbooks.ts
 * lists, and nothing else. Each alarm runbook has the same sections, states its severity, names the
 * variables its commands use (all set by runbooks/env.sh) and has one `bash diagnose` block of at most
 * four read-only commands that bash can parse. Nothing deletes without a peek first, and nothing purges.
 *
 * Static: which alarms of the stack link which runbook, with which severity, is checked against the
 * running stack by test/runbooks/diagnose.test.ts, which also runs the diagnose blocks for every queue.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../contract/alarm-description';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE } from '../../contract/metrics';
import { ALARM_KINDS, API_ALARM_KINDS, isWorkQueueAlarmKind, PROCEDURE_RUNBOOKS, RUNBOOK_IDS, runbookFileName, WORK_QUEUE_ALARM_KINDS } from '../../contract/runbooks';
import { bashBlocks, commandsOf, diagnoseBlocks, ENV_SCRIPT, ENV_SH, readRunbook, runbookIds, severityOf, variablesUsed } from '../runbooks/runbook-markdown';

const ALARM_SECTIONS = ['What fired', 'Impact', 'Diagnose', 'Mitigate', 'Escalate', 'Verify recovery'];
/** What each severity asks of the on-call, in the same words in every runbook. */
const SEVERITY_ADVICE: Record<(typeof SEVERITIES)[number], string> = {
  critical: 'Act now, any hour.',
  high: 'Act now, any hour.',
  warning: 'Look now; if nothing else fires, it can wait for working hours.',
};
/** Commands that change something: never in a diagnose block. */
const MUTATING = /\b(delete-\w+|purge-queue|start-message-move-task|cancel-message-move-task|send-message\w*|put-\w+|update-\w+|set-alarm-state|redrive)\b|-X (PUT|DELETE)|\bPOST \/jobs\b/;
/** Most commands a diagnose block may hold: each one costs the on-call (and the tests) a CLI start. */
const MAX_DIAGNOSE_COMMANDS = 4;
const MIN_DIAGNOSE_COMMANDS = 3;

const envScript = readFileSync(ENV_SCRIPT, 'utf8');
/** The variables env.sh exports, and the shell functions it defines (its own `_tw_` helpers aside). */
const ENV_VARIABLES = new Set([...envScript.matchAll(/^\s*export (\w+)=/gm)].map((m) => m[1]!));
const ENV_FUNCTIONS = new Set([...envScript.matchAll(/^\s*(\w+)\(\) \{/gm)].map((m) => m[1]!).filter((name) => !name.startsWith('_tw_')));

/** The variables a runbook says it needs, from the line after "**Before you start**". */
function declaredNeeds(markdown: string): string[] {
  const lines = markdown.split('\n');
  const line = lines[lines.findIndex((l) => l.startsWith('**Before you start**')) + 1];
  return [...(line ?? '').matchAll(/`([A-Z_][A-Z0-9_]*)`/g)].map((m) => m[1]!);
}

/** Variables a snippet sets itself (`NAME=...`, `export A=1 B=2`). */
function variablesAssigned(script: string): string[] {
  return [...script.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

/** The runbook's setup block (the first bash block, which sources env.sh) and the blocks of commands after it. */
function blocksOf(markdown: string): { setup: string; commands: string[] } {
  const [setup = '', ...commands] = bashBlocks(markdown);
  return { setup, commands };
}

/** Every reference to a Tidewatch metric in a runbook's commands: its name and dimensions (name → value as written). */
function tidewatchMetricsUsed(script: string): { name: string; dimensions: Record<string, string> }[] {
  const unquote = (value: string) => value.replace(/^"|"$/g, '');
  const shorthand = [...script.matchAll(new RegExp(`Namespace=${METRICS_NAMESPACE},MetricName=(\\w+),Dimensions=\\[([^\\]]*)\\]`, 'g'))].map((m) => ({
    name: m[1]!,
    dimensions: Object.fromEntries([...m[2]!.matchAll(/\{Name=(\w+),Value=([^}]*)\}/g)].map((d) => [d[1]!, unquote(d[2]!)])),
  }));
  const statistics = [...script.matchAll(new RegExp(`--namespace ${METRICS_NAMESPACE} --metric-name (\\w+) --dimensions ((?:Name=\\w+,Value=\\S+ ?)+)`, 'g'))].map((m) => ({
    name: m[1]!,
    dimensions: Object.fromEntries([...m[2]!.matchAll(/Name=(\w+),Value=(\S+)/g)].map((d) => [d[1]!, unquote(d[2]!)])),
  }));
  return [...shorthand, ...statistics];
}

/** The variable holding each worker dimension's value in the runbooks. */
const DIMENSION_VARIABLES: Record<keyof typeof DIMENSIONS, string> = { service: '$WORKER_SERVICE', stage: '$STAGE', queue: '$QUEUE' };

describe('runbooks/', () => {
  it('holds a runbook for every alarm kind and every procedure of contract/runbooks.ts, and nothing else', () => {
    expect(runbookIds()).toEqual([...RUNBOOK_IDS].sort());
    expect(new Set(RUNBOOK_IDS).size).toBe(RUNBOOK_IDS.length);
    expect(RUNBOOK_IDS.map(runbookFileName)).toContain('dead-lettered.md');
  });

  it('links only runbooks that exist, and every procedure from some alarm runbook', () => {
    const links = (id: string) => [...readRunbook(id).matchAll(/\]\(([\w-]+\.md)\)/g)].map((m) => m[1]!);
    for (const id of RUNBOOK_IDS) expect(links(id).filter((file) => !RUNBOOK_IDS.map(runbookFileName).includes(file)), id).toEqual([]);
    for (const procedure of PROCEDURE_RUNBOOKS) expect(ALARM_KINDS.filter((kind) => links(kind).includes(runbookFileName(procedure))), procedure).not.toEqual([]);
  });
});

describe.each(RUNBOOK_IDS.map((id) => [id]))('runbooks/%s.md', (id) => {
  const markdown = readRunbook(id);
  const { setup, commands } = blocksOf(markdown);

  it('opens with its id and a title', () => {
    expect(markdown.split('\n')[0]).toMatch(new RegExp(`^# ${id}: \\S.*\\S$`));
  });

  it('starts by sourcing runbooks/env.sh, with the queue from the page for a work-queue alarm or procedure', () => {
    const perQueue = !(API_ALARM_KINDS as readonly string[]).includes(id);
    if (perQueue) {
      expect(setup).toMatch(/^export QUEUE=/m);
      expect(setup).toContain('source runbooks/env.sh "$TIDEWATCH_STAGE" "$QUEUE"\n');
    } else {
      expect(setup).toContain('source runbooks/env.sh "$TIDEWATCH_STAGE"\n');
      // Without a queue env.sh sets none of the queue's variables.
      expect(declaredNeeds(markdown).filter((name) => (ENV_SH.queueVariables as readonly string[]).includes(name))).toEqual([]);
    }
  });

  it('names exactly the variables its commands use, all set by runbooks/env.sh (no endpoint variable)', () => {
    const needs = declaredNeeds(markdown);
    expect(needs.length).toBeGreaterThan(0);
    expect(needs.filter((name) => !ENV_VARIABLES.has(name))).toEqual([]);
    const script = commands.join('\n');
    const assigned = new Set(variablesAssigned(script));
    const used = variablesUsed(script).filter((name) => !assigned.has(name));
    expect(used.filter((name) => !needs.includes(name)), 'used but not named').toEqual([]);
    expect(needs.filter((name) => !used.includes(name)), 'named but not used').toEqual([]);
    expect(markdown).not.toMatch(/--endpoint-url "?\$|\$\{?ENDPOINT/);
  });

  it('has bash blocks that bash can parse', () => {
    for (const block of bashBlocks(markdown)) {
      const syntax = spawnSync('bash', ['-n'], { input: block, encoding: 'utf8' });
      expect(syntax.stderr, block).toBe('');
      expect(syntax.status).toBe(0);
    }
  });

  it('names alarms of its kind by the scheme: $STACK-$QUEUE-<kind> (and its windows) or $STACK-<kind>', () => {
    const names = [...markdown.matchAll(/"\$STACK-([^"]*)"/g)].map((m) => m[1]!);
    const scheme = new RegExp(`^(\\$QUEUE-(${WORK_QUEUE_ALARM_KINDS.join('|')})(-\\d+[smhd])?|(${API_ALARM_KINDS.join('|')}))$`);
    expect(names.filter((name) => !scheme.test(name))).toEqual([]);
  });

  it("queries Tidewatch metrics by a worker's name and all its dimensions, from the runbook's variables", () => {
    const known = new Map(Object.values(METRICS).map((metric) => [metric.name, metric]));
    for (const { name, dimensions } of tidewatchMetricsUsed(commands.join('\n'))) {
      const metric = known.get(name);
      expect(metric, name).toBeDefined();
      expect(Object.keys(dimensions).sort(), name).toEqual([...metric!.dimensions].sort());
      for (const [dimension, value] of Object.entries(dimensions)) expect(value, `${name} ${dimension}`).toBe(DIMENSION_VARIABLES[dimension as keyof typeof DIMENSIONS]);
    }
  });

  it('never purges, and deletes a message only after peeking at it', () => {
    expect(markdown).not.toContain('purge-queue');
    const remove = markdown.indexOf('delete-message');
    if (remove !== -1) expect(markdown.lastIndexOf('receive-message', remove)).toBeGreaterThan(-1);
  });
});

describe.each(ALARM_KINDS.map((kind) => [kind]))('runbooks/%s.md (alarm kind)', (kind) => {
  const markdown = readRunbook(kind);
  const blocks = diagnoseBlocks(markdown);

  it('states its severity and what it asks of the on-call', () => {
    const severity = severityOf(markdown) as (typeof SEVERITIES)[number];
    expect(SEVERITIES).toContain(severity);
    expect(markdown).toContain(`**Severity: ${severity}.** ${SEVERITY_ADVICE[severity]}\n`);
    expect(markdown.match(/\*\*Severity:/g)).toHaveLength(1);
  });

  it('has what fired, impact, diagnose, mitigate, escalate and verify recovery, in that order', () => {
    expect([...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(ALARM_SECTIONS);
  });

  it(`has one bash diagnose block of ${MIN_DIAGNOSE_COMMANDS} to ${MAX_DIAGNOSE_COMMANDS} read-only commands, declared variables only`, () => {
    expect(blocks).toHaveLength(1);
    const commands = commandsOf(blocks[0]!);
    expect(commands.length).toBeGreaterThanOrEqual(MIN_DIAGNOSE_COMMANDS);
    expect(commands.length).toBeLessThanOrEqual(MAX_DIAGNOSE_COMMANDS);
    expect(blocks[0]).not.toMatch(MUTATING);
    expect(variablesUsed(blocks[0]!).filter((name) => !declaredNeeds(markdown).includes(name))).toEqual([]);
    for (const [, fn] of blocks[0]!.matchAll(/\$\((\w+) /g)) expect(ENV_FUNCTIONS.has(fn!) || ['aws', 'date'].includes(fn!), fn).toBe(true);
  });

  it('looks at this alarm', () => {
    expect(markdown).toContain(isWorkQueueAlarmKind(kind) ? `"$STACK-$QUEUE-${kind}"` : `"$STACK-${kind}"`);
  });
});

describe.each(PROCEDURE_RUNBOOKS.map((id) => [id]))('runbooks/%s.md (procedure)', (id) => {
  const markdown = readRunbook(id);

  it('says when to use it first and how to verify last, and belongs to no alarm (no severity, nothing for the diagnose test to run)', () => {
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings[0]).toBe('When to use');
    expect(headings.at(-1)).toBe('Verify');
    expect(severityOf(markdown)).toBeUndefined();
    expect(diagnoseBlocks(markdown)).toEqual([]);
  });
});

describe('runbooks/env.sh', () => {
  it('is valid bash and exports the stack variables and the queue variables, nothing else', () => {
    expect(spawnSync('bash', ['-n', ENV_SCRIPT], { encoding: 'utf8' }).status).toBe(0);
    expect([...ENV_VARIABLES].sort()).toEqual([...ENV_SH.stackVariables, ...ENV_SH.queueVariables].sort());
    expect([...ENV_FUNCTIONS].filter((name) => name !== 'aws')).toEqual([...ENV_SH.functions]);
  });
});
