/**
 * The project's runbooks (`runbooks/*.md`) as pages, so the dashboard's runbook links work offline and
 * show this checkout's runbooks.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import escapeHtml from 'escape-html';
import { marked } from 'marked';

const RUNBOOKS = path.resolve(import.meta.dirname, '../../runbooks');

/** The runbook file names (`dead-lettered.md`, ...). */
export async function runbookNames(): Promise<string[]> {
  return (await readdir(RUNBOOKS)).filter((name) => name.endsWith('.md')).sort();
}

/** The runbook rendered as a page, or undefined when there is no runbook of that name. */
export async function runbookPage(name: string): Promise<string | undefined> {
  if (!(await runbookNames()).includes(name)) return undefined;
  const markdown = await readFile(path.join(RUNBOOKS, name), 'utf8');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)} (runbook)</title><link rel="stylesheet" href="/dashboard/app.css"></head>
<body class="runbook"><p><a href="/dashboard">← dashboard</a> · runbooks/${escapeHtml(name)}</p><article>${await marked.parse(markdown)}</article></body></html>
`;
}
