/**
 * The web console end to end on one local cloud and one headless Chromium: served at the local
 * CloudFront's root with its generated config.js, and nothing else of the bucket reachable through it;
 * a CSV uploaded in the page (presign, PUT with progress) seen PROCESSED with its row count; a failing
 * job seen FAILED with its reason; the upload form used by keyboard alone. Screenshots go to
 * test-artifacts/. The API routes the console reads (GET /files/{id}, GET /items) are checked on the
 * same cloud.
 */
import { mkdirSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemsPage } from '../../../contract/api-routes';
import { renderConsoleConfig } from '../../../contract/console-config';
import { launchBrowser, type HeadlessBrowser } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { callApi, PROJECT_ROOT, startScenarioCloud, upload, waitForStatus, type ScenarioCloud } from '../scenarios/scenario-cloud';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
/** A short backoff: the failing job's three attempts take seconds, not the default 30. */
const RETRY_BACKOFF_BASE_SECONDS = 1;
/** The longest a file or job takes on a loaded machine: its worker's timeout on each of three attempts, with the backoffs. */
const FILE_DEADLINE_MS = 3 * 60_000;
const FAILING_JOB_DEADLINE_MS = 3 * 30_000 + (1 + 2) * RETRY_BACKOFF_BASE_SECONDS * 1000 + 30_000;

let scenario: ScenarioCloud;
let browser: HeadlessBrowser;
let consoleUrl: string;

beforeAll(async () => {
  [scenario, browser] = await Promise.all([startScenarioCloud({ context: { tidewatch: { retryBackoffBaseSeconds: RETRY_BACKOFF_BASE_SECONDS } } }), launchBrowser()]);
  consoleUrl = scenario.cloud.endpoints.downloads;
  mkdirSync(ARTIFACTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await scenario?.stop();
});

/** A GET whose path reaches the server exactly as written. */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: new URL(consoleUrl).port, path: rawPath }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
  });
}

async function openConsole(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(consoleUrl);
  return page;
}

/** The text of a cell of the item row holding `text`, once `ready` accepts it. */
function itemCell(page: Page, text: string, cell: string, ready: (value: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  return eventually(
    async () => {
      const value = await page.locator('#items tbody tr', { hasText: text }).first().locator(`td.${cell}`).textContent({ timeout: 1000 }).catch(() => null);
      return value !== null && ready(value) ? value : undefined;
    },
    what,
    timeoutMs,
    200,
  );
}

describe('the console at the local CloudFront', () => {
  it('sends the root to the console, whose config.js names the local API and GET /items', async () => {
    const root = await fetch(consoleUrl, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/site/index.html');
    const index = await fetch(new URL('site/index.html', consoleUrl));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const config = await (await fetch(new URL('site/config.js', consoleUrl))).text();
    expect(config).toBe(`window.TIDEWATCH_CONFIG = ${JSON.stringify({ apiUrl: scenario.outputs.ApiUrl, apiAuth: 'none', listsItems: true }, null, 2)};\n`);
  });

  it.each(['uploads/f1/secret.csv', 'reports/2030-W01.html', 'dead-letters/jobs/m1.json', 'processedx/a.csv', 'sitex/a.html'])('keeps %s unreachable through it', async (key) => {
    await scenario.s3.send(new PutObjectCommand({ Bucket: scenario.outputs.BucketName, Key: key, Body: 'not for viewers' }));
    const response = await fetch(new URL(key, consoleUrl));
    // 404 is the edge's refusal of the path; a key missing under a served prefix would be S3's 403.
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for viewers');
    // Nor through a raw path that climbs out of site/ (sent as is: fetch would normalize it away).
    const climbing = await rawGet(`/site/../${key}`);
    expect(climbing.status).not.toBe(200);
    expect(climbing.body).not.toContain('not for viewers');
  });
});

describe('in Chromium', () => {
  it('uploads a CSV and shows it PROCESSED with its row count', { timeout: FILE_DEADLINE_MS + 60_000 }, async () => {
    const page = await openConsole();
    await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('name,city\nAda,London\nGrace,"New\nYork"\nAlan,Wilmslow\n') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await eventually(async () => ((await page.locator('#message').textContent())?.startsWith('Uploaded people.csv') ? true : undefined), 'the upload to finish', FILE_DEADLINE_MS);
    expect(await page.locator('#upload-progress').getAttribute('value')).toBe('100');
    await itemCell(page, 'people.csv', 'status', (status) => status === 'PROCESSED', FILE_DEADLINE_MS, 'people.csv PROCESSED in the list');
    expect(await itemCell(page, 'people.csv', 'rows', (rows) => rows !== '', 1000, 'its row count')).toBe('3');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-upload-processed.png'), fullPage: true });
    await page.close();
  });

  it('submits a failing job and shows it FAILED with its reason', { timeout: FAILING_JOB_DEADLINE_MS + 60_000 }, async () => {
    const page = await openConsole();
    await page.getByLabel('Task').fill('echo');
    await page.getByLabel('Payload (a JSON object)').fill('{"say": "this will fail"}');
    await page.getByLabel('Fail on every attempt (the dead-letter demo)').check();
    await page.getByRole('button', { name: 'Submit job' }).click();
    const message = await eventually(async () => (await page.locator('#message').textContent())?.match(/^Job (\S+) accepted on queue jobs\.$/)?.[1], 'the job to be accepted', 30_000);
    await itemCell(page, message, 'status', (status) => status === 'FAILED', FAILING_JOB_DEADLINE_MS, 'the job FAILED in the list');
    expect(await itemCell(page, message, 'reason', (reason) => reason !== '', 1000, 'its reason')).toMatch(/^RequestedFailureError: /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-job-failed.png'), fullPage: true });
    await page.close();
  });

  it('uploads with the keyboard alone: Tab to the file field, Space to choose, Tab, Enter', { timeout: FILE_DEADLINE_MS + 60_000 }, async () => {
    const page = await browser.context.newPage();
    // Listening before the page loads turns Chromium's file-chooser interception on before the key press.
    const chooser = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
    await page.goto(consoleUrl);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('file');
    await page.keyboard.press('Space');
    await (await chooser).setFiles({ name: 'keyboard.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3,4\n') });
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Upload');
    // The focused control is visibly marked (the :focus-visible outline).
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await page.keyboard.press('Enter');
    await itemCell(page, 'keyboard.csv', 'status', (status) => status === 'PROCESSED', FILE_DEADLINE_MS, 'keyboard.csv PROCESSED in the list');
    expect(await itemCell(page, 'keyboard.csv', 'rows', (rows) => rows !== '', 1000, 'its row count')).toBe('2');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-keyboard-upload.png'), fullPage: true });
    await page.close();
  });
});

/** In the page: every form field's labels, and the contrast ratio (WCAG 2) of each kind of text against its background. */
const ACCESSIBILITY_PROBE = `(() => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map((c) => { const s = Number(c) / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const ratio = (element) => {
    const [a, b] = [luminance(getComputedStyle(element).color), luminance(background(element))].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const unlabelled = [...document.querySelectorAll('input, textarea, select, progress')].filter((field) => field.labels.length === 0).map((field) => field.id);
  const contrast = Object.fromEntries(['h1', 'label', 'button', '.hint', 'th', 'td', '.status-PROCESSED', '.status-FAILED', '#message'].flatMap((selector) => {
    const element = document.querySelector(selector);
    return element ? [[selector, Math.round(ratio(element) * 100) / 100]] : [];
  }));
  return { unlabelled, contrast };
})()`;

describe('in Chromium, accessibility', () => {
  it('labels every field and keeps every kind of text at WCAG AA contrast (4.5:1)', async () => {
    const page = await openConsole();
    await eventually(async () => ((await page.locator('#items tbody tr').count()) > 0 ? true : undefined), 'the item list', 30_000);
    const { unlabelled, contrast } = (await page.evaluate(ACCESSIBILITY_PROBE)) as { unlabelled: string[]; contrast: Record<string, number> };
    expect(unlabelled).toEqual([]);
    expect(Object.keys(contrast)).toEqual(expect.arrayContaining(['h1', 'label', 'button', '.hint', 'th', 'td', '.status-PROCESSED', '.status-FAILED']));
    for (const [selector, ratio] of Object.entries(contrast)) expect({ selector, ratio: ratio >= 4.5 }).toEqual({ selector, ratio: true });
    await page.close();
  });
});

describe('in Chromium, on a stage without GET /items', () => {
  it('lists only the items this browser created, each read by id', { timeout: FILE_DEADLINE_MS + 60_000 }, async () => {
    const page = await browser.context.newPage();
    // config.js as the stack writes it where GET /items does not exist (an anonymous API outside the local stage).
    await page.route('**/site/config.js', (route) => route.fulfill({ contentType: 'text/javascript', body: renderConsoleConfig({ apiUrl: scenario.outputs.ApiUrl!, apiAuth: 'none', listsItems: false }) }));
    const elsewhere = await callApi(scenario, 'POST', 'jobs', { task: 'echo', payload: { from: 'another client' } });
    await page.goto(consoleUrl);
    expect(await page.locator('#items-source').textContent()).toBe('The items this browser created (their ids are kept in this browser).');
    await page.getByLabel('Task').fill('sum');
    await page.getByLabel('Payload (a JSON object)').fill('{"numbers": [20, 22]}');
    await page.getByRole('button', { name: 'Submit job' }).click();
    const jobId = await eventually(async () => (await page.locator('#message').textContent())?.match(/^Job (\S+) accepted/)?.[1], 'the job to be accepted', 30_000);
    await itemCell(page, jobId, 'status', (status) => status === 'PROCESSED', FILE_DEADLINE_MS, 'the sum job PROCESSED in the list');
    const listed = await page.locator('#items tbody tr').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { id: string } }).dataset.id));
    expect(listed).toContain(jobId);
    expect(listed).not.toContain(elsewhere.body.jobId);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-created-here.png'), fullPage: true });
    await page.close();
  });
});

describe('the API the console reads', () => {
  it('GET /files/{id} answers a file’s status item, and 404 or 400 for anything else', { timeout: FILE_DEADLINE_MS + 30_000 }, async () => {
    const file = await upload(scenario, 'two-rows.csv', 'x,y\n1,2\n3,4\n');
    await waitForStatus(scenario, file.fileId, ['PROCESSED'], FILE_DEADLINE_MS);
    const answer = await callApi(scenario, 'GET', `files/${file.fileId}`);
    expect(answer).toMatchObject({ status: 200, body: { id: file.fileId, kind: 'file', queue: 'files', status: 'PROCESSED', fileName: 'two-rows.csv', rowCount: 2 } });
    const job = await callApi(scenario, 'POST', 'jobs', { task: 'echo' });
    expect(await callApi(scenario, 'GET', `files/${job.body.jobId as string}`)).toMatchObject({ status: 404, body: { error: 'FileNotFound' } });
    expect(await callApi(scenario, 'GET', 'files/6f1e9f7e-3f5a-4c1e-9d4b-2a7c8e0b5d11')).toMatchObject({ status: 404, body: { error: 'FileNotFound' } });
    expect(await callApi(scenario, 'GET', 'files/not-a-file')).toMatchObject({ status: 400, body: { error: 'InvalidFileId' } });
  });

  it('GET /items pages through every item newest first, a page at a time, without payloads', async () => {
    const jobs = await Promise.all([1, 2, 3].map((n) => callApi(scenario, 'POST', 'jobs', { task: 'sum', payload: { numbers: [n] } })));
    const seen: ItemsPage['items'][number][] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await callApi(scenario, 'GET', `items?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      const page = answer.body as unknown as ItemsPage;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const ids = seen.map((item) => item.id);
    for (const job of jobs) expect(ids).toContain(job.body.jobId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of seen) {
      expect(item).not.toHaveProperty('payload');
      expect(item).not.toHaveProperty('payloadJson');
      expect(item).not.toHaveProperty('resultJson');
      expect(['files', 'jobs']).toContain(item.queue);
    }
    const jobsOnly = (await callApi(scenario, 'GET', 'items?queue=jobs&limit=100')).body as unknown as ItemsPage;
    expect(jobsOnly.items.every((item) => item.queue === 'jobs')).toBe(true);
    const times = jobsOnly.items.map((item) => item.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it.each([
    ['items?limit=0', 'InvalidLimit'],
    ['items?limit=101', 'InvalidLimit'],
    ['items?queue=nope', 'UnknownQueue'],
    ['items?cursor=bm90LWEtY3Vyc29y', 'InvalidCursor'],
    ['items?cursor=%7B', 'InvalidCursor'],
  ])('GET /%s is a 400 %s', async (route, error) => {
    expect(await callApi(scenario, 'GET', route)).toMatchObject({ status: 400, body: { error } });
  });
});
