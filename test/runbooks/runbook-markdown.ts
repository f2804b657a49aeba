/** Reading runbooks: their fenced `bash diagnose` blocks and the commands in them. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const RUNBOOKS_DIRECTORY = path.resolve(import.meta.dirname, '../../runbooks');

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

/** The commands of a block: one per line, comments and blank lines left out (no line continuations). */
export function commandsOf(block: string): string[] {
  if (/\\\n/.test(block)) throw new Error('a diagnose block continues a command over several lines: keep one command per line');
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
