/** Reading runbooks: their fenced bash blocks, the commands in them and the variables they use; and what runbooks/env.sh sets. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const RUNBOOKS_DIRECTORY = path.resolve(import.meta.dirname, '../../runbooks');
export const ENV_SCRIPT = path.join(RUNBOOKS_DIRECTORY, 'env.sh');

/**
 * runbooks/env.sh's interface: the variables it sets for the stack, those it adds for a queue (and unsets
 * without one), and the functions it defines. test/runbooks/env.test.ts holds the script to it.
 */
export const ENV_SH = {
  stackVariables: ['STAGE', 'STACK', 'BUCKET_NAME', 'API_URL', 'STATUS_TABLE_NAME', 'PAGING_TOPIC_ARN', 'DASHBOARD_NAME', 'API_ID', 'WORK_QUEUES'],
  queueVariables: ['QUEUE', 'QUEUE_URL', 'DLQ_URL', 'WORKER_FUNCTION', 'WORKER_SERVICE'],
  functions: ['tw_ago'],
} as const;

/** Every runbook's id (`runbooks/<id>.md`). */
export function runbookIds(): string[] {
  return readdirSync(RUNBOOKS_DIRECTORY)
    .filter((file) => file.endsWith('.md'))
    .map((file) => file.slice(0, -'.md'.length))
    .sort();
}

export function readRunbook(id: string): string {
  return readFileSync(path.join(RUNBOOKS_DIRECTORY, `${id}.md`), 'utf8');
}

/** The bodies of the runbook's ```` ```bash diagnose ```` blocks. */
export function diagnoseBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```bash diagnose\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** The bodies of all its ```` ```bash ```` blocks, diagnose blocks included, in order. */
export function bashBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```bash(?: diagnose)?\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** The commands of a block: one per line, comments and blank lines left out (no line continuations). */
export function commandsOf(block: string): string[] {
  if (/\\\n/.test(block)) throw new Error('a diagnose block continues a command over several lines: keep one command per line');
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Variables a shell snippet reads: `$NAME` and `${NAME...}`. */
export function variablesUsed(script: string): string[] {
  return [...new Set([...script.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!))];
}

/** The severity a runbook states on its `**Severity: <level>.**` line. */
export function severityOf(markdown: string): string | undefined {
  return /^\*\*Severity: (\w+)\.\*\*/m.exec(markdown)?.[1];
}
