/**
 * The on-call dashboard at /dashboard on the local cloud, in headless Chromium: drawn from the template's
 * own dashboard body with data from the local CloudWatch, the redrive widget's buttons working through
 * the local Lambda Invoke, a widget type it does not know saying so, and nothing loaded from elsewhere.
 * Screenshots go to test-artifacts/.
 */
import * as path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { driveUntil } from '../alarms/alarm-cloud';
import { ARTIFACTS, UNSUPPORTED_WIDGET, chartOption, startDashboardCloud, type DashboardCloud } from './dashboard-cloud';

let dashboard: DashboardCloud;
const deadLettered = () => dashboard.alarmName('jobs-dead-lettered');

beforeAll(async () => {
  dashboard = await startDashboardCloud();
});

afterAll(async () => {
  await dashboard?.stop();
});

async function dlqDepth(): Promise<number> {
  const { Attributes = {} } = await dashboard.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dashboard.cloud.outputs.JobsDeadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
}

/** Opens the dashboard and waits until every widget has been drawn (or has shown its error). */
async function openDashboard(): Promise<{ page: Page; requested: string[] }> {
  const page = await dashboard.browser.context.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(dashboard.dashboardUrl);
  await page.waitForSelector('#grid[aria-busy="false"][data-drawn-at]', { timeout: 30_000 });
  return { page, requested };
}

const widgetNamed = (page: Page, type: string, title: string) => page.locator(`section.widget-${type}`).filter({ has: page.getByRole('heading', { name: title, exact: true }) });

describe('the dashboard route', () => {
  it('serves the page, its script and the chart library from this machine, runbooks rendered, and answers bad calls with a 400', async () => {
    const base = dashboard.dashboardUrl;
    const page = await fetch(base);
    expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([200, 'text/html; charset=utf-8', expect.stringContaining('/dashboard/vendor/echarts.min.js')]);
    for (const asset of ['app.js', 'app.css', 'vendor/echarts.min.js']) expect((await fetch(`${base}/${asset}`)).status, asset).toBe(200);
    const runbook = await fetch(`${base}/runbooks/dead-lettered.md`);
    expect([runbook.status, await runbook.text()]).toEqual([200, expect.stringMatching(/<h1[^>]*>/)]);
    expect((await fetch(`${base}/runbooks/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/runbooks/%E0%A4%A.md`)).status).toBe(404);

    const bad = await fetch(`${base}/api/metric-data`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queries: [] }) });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'InvalidRequest', message: expect.stringContaining('invalid metric data request') }]);
    const notJson = await fetch(`${base}/api/invoke`, { method: 'POST', body: '{' });
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'InvalidRequest', message: expect.stringContaining('not JSON') }]);
    const notAList = await fetch(`${base}/api/alarms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ names: 'x' }) });
    expect(notAList.status).toBe(400);
    expect((await fetch(`${base}/api/describe-everything`, { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await fetch(`${base}/api/alarms`)).status).toBe(405);
  });
});

describe('after a poison job', () => {
  it('shows the dead-lettered alarm in ALARM, and the dead letters graph with its datapoint', async () => {
    const submitted = await fetch(`${dashboard.cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'echo', fail: true }) });
    expect(submitted.status).toBe(202);
    // Three attempts 1 s and 2 s apart, then the DLQ on the next receive.
    await eventually(async () => ((await dlqDepth()) === 1 ? true : undefined), 'the poison job in the jobs DLQ', 90_000, 250);
    // The paused clock evaluates nothing until moved: 10 s at a time until the alarm fires, then it holds.
    await driveUntil(dashboard, `${deadLettered()} in ALARM`, async () => ((await dashboard.alarmStates())[deadLettered()] === 'ALARM' ? true : undefined), 5 * 60_000);

    const { page, requested } = await openDashboard();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-poison-job-top.png') });
    const alarm = page.locator(`[data-alarm="${deadLettered()}"]`);
    expect(await alarm.getAttribute('data-state')).toBe('ALARM');
    expect(await alarm.textContent()).toMatch(/^ALARM .+-jobs-dead-lettered ?since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // Sorted most recently changed first: it is the newest change.
    expect(await page.locator('.alarm-list > li').first().getAttribute('data-alarm')).toBe(deadLettered());

    // The jobs row's Dead letters graph: the second one on the page (files first).
    const graph = page.locator('section.widget-metric').filter({ has: page.getByRole('heading', { name: 'Dead letters', exact: true }) }).nth(1);
    const { series } = await chartOption<{ series: { name: string; data: [number, number][] }[] }>(graph.locator('.widget-content'));
    const deadLetteredLine = series.find((entry) => entry.name === 'dead-lettered');
    expect(deadLetteredLine?.data).toEqual([[expect.any(Number), 1]]);
    expect(Math.abs(deadLetteredLine!.data[0]![0] - Date.now())).toBeLessThan(10 * 60_000);
    expect(series.map((entry) => entry.name)).toContain('in DLQ');
    await graph.screenshot({ path: path.join(ARTIFACTS, 'dashboard-dead-letters-graph.png') });

    const origin = new URL(dashboard.dashboardUrl).origin;
    expect(requested.filter((url) => !url.startsWith(origin))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-poison-job.png'), fullPage: true });
    await page.close();
  });

  it("asks for confirmation before the redrive widget's Dry run, then shows the count; Cancel calls nothing", async () => {
    const { page } = await openDashboard();
    const widget = widgetNamed(page, 'custom', 'Jobs dead letters');
    const dryRun = widget.locator('a.btn', { hasText: 'Dry run' });
    const confirmDialog = page.locator('#confirm-dialog');
    const popup = page.locator('#popup-dialog');

    await dryRun.click();
    await expect.poll(() => confirmDialog.isVisible()).toBe(true);
    expect(await confirmDialog.locator('.message').textContent()).toMatch(/^Dry run: count the 1 dead letters of jobs/);
    await confirmDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirmDialog.isVisible()).toBe(false);
    expect(await popup.isVisible()).toBe(false);

    await dryRun.click();
    await confirmDialog.getByRole('button', { name: 'Confirm' }).click();
    await popup.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await popup.locator('.popup-content').textContent()).toMatch(/dry run: 1 would \w+ \(1 scanned\)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-dry-run.png') });
    expect(await dlqDepth()).toBe(1);
    await page.close();
  });

  it("shows Peek in a popup, whose Archive button, once confirmed, answers into the widget (asked by the dashboard by name)", async () => {
    const { page } = await openDashboard();
    const widget = widgetNamed(page, 'custom', 'Jobs dead letters');
    const popup = page.locator('#popup-dialog');
    await widget.locator('a.btn', { hasText: 'Peek' }).click();
    await popup.waitFor({ state: 'visible', timeout: 30_000 });
    const archive = popup.locator('a.btn', { hasText: 'Archive' });
    expect(await archive.count()).toBe(1);
    await archive.click();
    const confirmDialog = page.locator('#confirm-dialog');
    expect(await confirmDialog.locator('.message').textContent()).toMatch(/^Archive dead letter \S+ to s3:\/\//);
    await confirmDialog.getByRole('button', { name: 'Confirm' }).click();
    await popup.waitFor({ state: 'hidden', timeout: 30_000 });
    await expect.poll(() => widget.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`Started archive run \\S+ \\(asked by dashboard ${dashboard.cloud.stackName}-on-call\\)`));
    await eventually(async () => ((await dlqDepth()) === 0 ? true : undefined), 'the archived dead letter gone from the DLQ', 60_000, 250);
    await page.close();
  });
});

describe('widgets', () => {
  it('shows a notice in the place of a widget type it does not support, and opens the local runbooks from the text widget', async () => {
    const { page } = await openDashboard();
    const unsupported = page.locator(`section[data-widget-type="${UNSUPPORTED_WIDGET.type}"]`);
    expect(await unsupported.locator('[data-notice="unsupported"]').textContent()).toBe('The widget type "log" is not supported by the local dashboard.');
    expect(await unsupported.getAttribute('data-status')).toBe('ready');
    expect(await page.locator('section.widget[data-status="error"]').count()).toBe(0);
    await unsupported.scrollIntoViewIfNeeded();
    await unsupported.screenshot({ path: path.join(ARTIFACTS, 'dashboard-unsupported-widget.png') });

    await page.getByRole('link', { name: 'dead-lettered', exact: true }).click();
    await page.waitForURL(/\/dashboard\/runbooks\/dead-lettered\.md$/);
    expect(await page.locator('article h1').first().textContent()).toBeTruthy();
    await page.close();
  });

  it('redraws for a relative or an absolute time range, and on auto-refresh', async () => {
    const { page } = await openDashboard();
    const controls = page.locator('#controls');
    const drawnAt = () => page.locator('#grid').getAttribute('data-drawn-at');
    expect(await controls.getAttribute('data-range')).toBe('-10800s');

    let before = await drawnAt();
    await page.getByRole('button', { name: '1h', exact: true }).click();
    expect(await controls.getAttribute('data-range')).toBe('-3600s');
    await expect.poll(drawnAt, { timeout: 30_000 }).not.toBe(before);

    before = await drawnAt();
    await page.locator('input[name=start]').fill('2026-01-01T00:00');
    await page.locator('input[name=end]').fill('2026-01-01T06:00');
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await controls.getAttribute('data-range')).toBe('2026-01-01T00:00:00.000Z/2026-01-01T06:00:00.000Z');
    await expect.poll(drawnAt, { timeout: 30_000 }).not.toBe(before);
    const { xAxis } = await chartOption<{ xAxis: { min: number; max: number }[] }>(page.locator('section.widget-metric .widget-content').first());
    expect([xAxis[0]!.min, xAxis[0]!.max]).toEqual([Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T06:00:00Z')]);

    before = await drawnAt();
    await page.locator('#auto-refresh').selectOption('10');
    await expect.poll(drawnAt, { timeout: 40_000 }).not.toBe(before);
    await page.close();
  });
});
