/**
 * The report as one self-contained HTML page: inline CSS and server-drawn SVG charts, no script, no
 * font, image or style fetched from anywhere, so it opens offline, from a mail attachment or S3, and
 * reads on a phone (tables scroll sideways inside their box, charts shrink to the screen). Every value
 * taken from outside (alarm names, failure messages, who redrove) is escaped.
 */
import { isNightHour } from './alarm-facts';
import { direction } from './format';
import type { ReviewReport } from './model';
import { headlineRows, reportSections, type Chart, type Section, type Table } from './report-sections';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c2329;background:#f4f6f8}
main{max-width:1040px;margin:0 auto;padding:16px}
header h1{font-size:1.5rem;margin:0 0 4px}
header p{margin:0;color:#55606b}
section{background:#fff;border-radius:8px;padding:12px 16px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:1.15rem;margin:4px 0 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
.card{border:1px solid #dde3e8;border-radius:6px;padding:8px}
.card .label{font-size:.8rem;color:#55606b}
.card .value{font-size:1.3rem;font-weight:600}
.change{font-size:.8rem}.better{color:#2e7d32}.worse{color:#c62828}.same{color:#55606b}
.scroll{overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;min-width:100%;font-size:.9rem}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e6eaee;white-space:nowrap}
th{background:#f0f3f5}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px}
figure{margin:0}
figure svg{width:100%;height:auto;display:block}
li{margin:4px 0}
footer{color:#55606b;font-size:.8rem;margin:16px 0}
`;

/**
 * The page. The charting library is loaded on first use, not with the function: its size would
 * otherwise count against every cold start's init, on-demand answers from a stored report included.
 */
export async function renderHtml(report: ReviewReport): Promise<string> {
  const charts = await import('./charts');
  const title = `Weekly reliability review ${report.period.label}`;
  const range = `${report.period.from.slice(0, 10)} → ${report.period.to.slice(0, 10)} (UTC)${report.period.partialUntil ? `, partial: up to ${report.period.partialUntil}` : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} · ${report.stack.name}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(`${report.stack.name} (stage ${report.stack.stage}) · ${range} · built ${report.generatedAt}`)}</p></header>
${headline(report)}
${reportSections(report).map((section) => renderSection(report, section, charts)).join('\n')}
<footer>Tidewatch weekly review, report format ${report.version}. Same figures in report.md and report.json.</footer>
</main>
</body>
</html>
`;
}

function headline(report: ReviewReport): string {
  const figures = new Map(report.headline.map((figure) => [figure.key, figure]));
  const changes = new Map(report.trends.weekOverWeek.map((delta) => [delta.key, delta]));
  const cards = headlineRows(report).map((row) => {
    const way = direction(figures.get(row.key)!, changes.get(row.key));
    return `<div class="card" data-figure="${escapeHtml(row.key)}"><div class="label">${escapeHtml(row.label)}</div><div class="value">${escapeHtml(row.value)}</div>${
      row.change ? `<div class="change ${way}">${escapeHtml(row.change)} vs last week</div>` : ''
    }</div>`;
  });
  return `<section id="headline"><h2>Headline</h2><div class="cards">${cards.join('')}</div></section>`;
}

type Charts = typeof import('./charts');

function renderSection(report: ReviewReport, section: Section, charts: Charts): string {
  const parts = [
    `<h2>${escapeHtml(section.title)}</h2>`,
    ...(section.paragraphs ?? []).map((text) => `<p>${escapeHtml(text)}</p>`),
    ...(section.list ? [`<ol>${section.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>`] : []),
    ...(section.charts ? [`<div class="charts">${section.charts.map((chart) => renderChart(report, chart, charts)).join('')}</div>`] : []),
    ...(section.tables ?? []).map(renderTable),
  ];
  return `<section id="${escapeHtml(section.id)}">${parts.join('\n')}</section>`;
}

function renderTable(table: Table): string {
  if (table.rows.length === 0) return '';
  const head = table.headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function renderChart(report: ReviewReport, chart: Chart, { burnDownChart, dailyItemsChart, pagesByHourChart }: Charts): string {
  if (chart.kind === 'pages-by-hour') {
    return figure('pages-by-hour', 'Pages by hour of day', pagesByHourChart(report.alarms, report.timeZone, isNightHour));
  }
  const queue = report.queues.find((candidate) => candidate.name === chart.queue)!;
  return chart.kind === 'burn-down'
    ? figure(`burn-down-${queue.name}`, `${queue.name}: error budget left by day`, burnDownChart(queue))
    : figure(`daily-items-${queue.name}`, `${queue.name}: items per day`, dailyItemsChart(queue));
}

function figure(id: string, label: string, svg: string): string {
  return `<figure data-chart="${escapeHtml(id)}" role="img" aria-label="${escapeHtml(label)}">${svg}</figure>`;
}

/** Hand-written: the five characters HTML gives meaning to, nothing a library would add. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
