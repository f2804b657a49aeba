/**
 * The dashboard page: reads the template's dashboard (`/dashboard/body.json`), lays its widgets out on
 * CloudWatch's 24-column grid, and draws them for the chosen time range: on open, on the refresh
 * button, on each auto-refresh tick and when the range changes.
 */
import type { DashboardBody } from '../body';
import { RELATIVE_CHOICES, initialRange, intervalOf, type TimeRange } from '../time-range';
import { drawWidget, escapeText, type DrawContext } from './widget-views';

interface DashboardDocument {
  readonly name: string;
  readonly body: DashboardBody;
  readonly accountId: string;
  readonly region: string;
  readonly runbooks: readonly string[];
}

/** Pixels per grid row: CloudWatch's widgets are about this tall per unit of height. */
const ROW_HEIGHT = 42;
const AUTO_REFRESH_CHOICES = [
  { label: 'Off', seconds: 0 },
  { label: '10s', seconds: 10 },
  { label: '1m', seconds: 60 },
  { label: '2m', seconds: 120 },
  { label: '5m', seconds: 300 },
  { label: '15m', seconds: 900 },
];

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function open(): Promise<void> {
  const name = new URL(location.href).searchParams.get('name');
  const response = await fetch(`/dashboard/body.json${name === null ? '' : `?name=${encodeURIComponent(name)}`}`);
  const document_ = (await response.json()) as DashboardDocument & { message?: string };
  if (!response.ok) throw new Error(document_.message ?? `the dashboard could not be read (${response.status})`);
  document.title = `${document_.name} (local)`;
  element('dashboard-name').textContent = document_.name;
  const grid = element('grid');
  grid.style.gridAutoRows = `${ROW_HEIGHT}px`;
  const places = document_.body.widgets.map((widget, index) => place(grid, widget, index));
  let range = initialRange(document_.body);
  let timer: ReturnType<typeof setInterval> | undefined;

  let drawing = false;
  const draw = async (reason: DrawContext['reason']) => {
    // An auto-refresh tick while a slow draw is still running waits for the next tick.
    if (drawing && reason === 'refresh') return;
    drawing = true;
    const interval = intervalOf(range, Date.now());
    const context: DrawContext = {
      dashboardName: document_.name,
      accountId: document_.accountId,
      runbooks: new Set(document_.runbooks),
      range,
      interval,
      period: 300,
      reason,
      confirm,
      popup,
      closePopup: () => element<HTMLDialogElement>('popup-dialog').close(),
    };
    grid.setAttribute('aria-busy', 'true');
    await Promise.all(
      document_.body.widgets.map(async (widget, index) => {
        const { section, content } = places[index]!;
        section.dataset.status = 'loading';
        try {
          await drawWidget(widget, index, content, context);
          section.dataset.status = 'ready';
        } catch (error) {
          content.innerHTML = `<p class="widget-error">${escapeText((error as Error).message)}</p>`;
          section.dataset.status = 'error';
        }
      }),
    );
    grid.dataset.drawnAt = new Date().toISOString();
    grid.setAttribute('aria-busy', 'false');
    drawing = false;
  };

  renderControls(
    () => range,
    (next) => {
      range = next;
      void draw('timeRange');
    },
    () => void draw('refresh'),
    (seconds) => {
      clearInterval(timer);
      timer = seconds > 0 ? setInterval(() => void draw('refresh'), seconds * 1000) : undefined;
    },
  );
  await draw('open');
}

function place(grid: HTMLElement, widget: DashboardBody['widgets'][number], index: number): { section: HTMLElement; content: HTMLElement } {
  const section = document.createElement('section');
  section.className = `widget widget-${widget.type}`;
  section.dataset.widgetIndex = String(index);
  section.dataset.widgetType = widget.type;
  const x = widget.x ?? 0;
  const y = widget.y ?? 0;
  section.style.gridColumn = `${x + 1} / span ${widget.width ?? 6}`;
  section.style.gridRow = `${y + 1} / span ${widget.height ?? 6}`;
  const title = (widget.properties as { title?: string } | undefined)?.title;
  if (title) {
    const heading = document.createElement('h2');
    heading.textContent = title;
    section.append(heading);
  }
  if ((widget.properties as { background?: string } | undefined)?.background === 'transparent') section.classList.add('transparent');
  const content = document.createElement('div');
  content.className = 'widget-content';
  section.append(content);
  grid.append(section);
  return { section, content };
}

function renderControls(current: () => TimeRange, setRange: (range: TimeRange) => void, refresh: () => void, setAutoRefresh: (seconds: number) => void): void {
  const controls = element('controls');
  const relative = RELATIVE_CHOICES.map((choice) => `<button type="button" class="btn range" data-seconds="${choice.seconds}">${choice.label}</button>`).join('');
  const refreshChoices = AUTO_REFRESH_CHOICES.map((choice) => `<option value="${choice.seconds}">${choice.label}</option>`).join('');
  controls.innerHTML =
    `<span class="ranges" role="group" aria-label="Relative time range">${relative}</span>` +
    `<form id="absolute-range" class="absolute"><label>From <input type="datetime-local" name="start" step="60" required></label> <label>to <input type="datetime-local" name="end" step="60" required></label> <button class="btn">Apply</button> <span class="hint">UTC</span></form>` +
    `<button type="button" class="btn" id="refresh">Refresh</button>` +
    `<label>Auto refresh <select id="auto-refresh">${refreshChoices}</select></label>`;
  const mark = () => {
    const range = current();
    for (const button of controls.querySelectorAll<HTMLButtonElement>('button.range')) {
      button.classList.toggle('selected', range.mode === 'relative' && Number(button.dataset.seconds) === range.seconds);
    }
    controls.dataset.range = range.mode === 'relative' ? `-${range.seconds}s` : `${range.start.toISOString()}/${range.end.toISOString()}`;
  };
  controls.querySelector('.ranges')!.addEventListener('click', (event) => {
    const seconds = (event.target as HTMLElement).dataset.seconds;
    if (seconds === undefined) return;
    setRange({ mode: 'relative', seconds: Number(seconds) });
    mark();
  });
  const absolute = element<HTMLFormElement>('absolute-range');
  absolute.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(absolute);
    const start = new Date(`${String(form.get('start'))}Z`);
    const end = new Date(`${String(form.get('end'))}Z`);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) {
      absolute.querySelector('.hint')!.textContent = 'UTC: the start must come before the end';
      return;
    }
    absolute.querySelector('.hint')!.textContent = 'UTC';
    setRange({ mode: 'absolute', start, end });
    mark();
  });
  element('refresh').addEventListener('click', refresh);
  element<HTMLSelectElement>('auto-refresh').addEventListener('change', (event) => setAutoRefresh(Number((event.target as HTMLSelectElement).value)));
  mark();
}

function confirm(message: string): Promise<boolean> {
  const dialog = element<HTMLDialogElement>('confirm-dialog');
  dialog.querySelector('.message')!.textContent = message;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true }));
}

function popup(html: string, wire: (root: Element) => void): void {
  const dialog = element<HTMLDialogElement>('popup-dialog');
  const content = dialog.querySelector('.popup-content')!;
  content.innerHTML = html;
  wire(content);
  if (!dialog.open) dialog.showModal();
}

open().catch((error: unknown) => {
  element('grid').innerHTML = `<p class="widget-error">${escapeText((error as Error).message)}</p>`;
});
