/**
 * The report as Markdown: the same sections and numbers as the HTML, as tables (the burn-down is the
 * "budget left" column of the daily table), for a wiki page or a pull request.
 */
import type { ReviewReport } from './model';
import { headlineRows, reportSections, type Section, type Table } from './report-sections';

export function renderMarkdown(report: ReviewReport): string {
  const lines = [
    `# Weekly reliability review ${report.period.label}`,
    '',
    `${report.stack.name} (stage ${report.stack.stage}) · ${report.period.from.slice(0, 10)} → ${report.period.to.slice(0, 10)} (UTC)${report.period.partialUntil ? `, partial: up to ${report.period.partialUntil}` : ''} · built ${report.generatedAt}`,
    '',
    '## Headline',
    '',
    table({ headers: ['figure', 'value', 'vs last week'], rows: headlineRows(report).map((row) => [row.label, row.value, row.change]) }),
    ...reportSections(report).flatMap(section),
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function section(part: Section): string[] {
  return [
    '',
    `## ${part.title}`,
    '',
    ...(part.paragraphs ?? []).flatMap((text) => [escapeMarkdown(text), '']),
    ...(part.list ?? []).map((item, i) => `${i + 1}. ${escapeMarkdown(item)}`),
    '',
    ...(part.tables ?? []).filter((t) => t.rows.length > 0).flatMap((t) => [table(t), '']),
  ];
}

function table({ headers, rows }: Table): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A table cell: pipes escaped and line breaks folded, so an untrusted message cannot break the table. */
function cell(text: string): string {
  return escapeMarkdown(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown and HTML that renderers would interpret in untrusted text (failure messages, names). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_<>[\]]/g, (character) => `\\${character}`);
}
