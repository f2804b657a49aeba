/**
 * Custom widget HTML in headless Chromium, through the page's own module (bundled by esbuild as the
 * dashboard bundles it): sanitized as CloudWatch shows it, and `<cwdb-action>` elements of kind `html`
 * shown in a popup or in the widget, on click or on mouseenter. Calls to a function (`call`), with their
 * confirmation, are driven through the real dashboard in dashboard.test.ts.
 */
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type HeadlessBrowser } from '../../support/browser';
import { PROJECT_ROOT } from '../alarms/alarm-cloud';

let browser: HeadlessBrowser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(PROJECT_ROOT, 'local/dashboard/page/browser/custom-actions.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'customActions',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setContent('<div id="widget"></div><div id="popup"></div>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
});

afterAll(async () => {
  await browser?.close();
});

/** Shows `html` in the widget as the dashboard does, with a host that records what the actions did. */
async function showInWidget(html: string): Promise<void> {
  await page.evaluate((markup) => {
    const scope = globalThis as unknown as {
      customActions: { sanitizeWidgetHtml(html: string): string; wireActions(root: unknown, host: unknown): void };
      document: { getElementById(id: string): { innerHTML: string } };
      happened: string[];
    };
    scope.happened = [];
    const widget = scope.document.getElementById('widget');
    const host = {
      call: () => Promise.reject(new Error('no function is called in this test')),
      confirm: (message: string) => {
        scope.happened.push(`confirm ${message}`);
        return Promise.resolve(true);
      },
      popup: (answer: string) => scope.happened.push(`popup ${answer.trim()}`),
      replaceWidget: (answer: string) => {
        scope.happened.push(`widget ${answer.trim()}`);
        widget.innerHTML = scope.customActions.sanitizeWidgetHtml(answer);
      },
      fail: (message: string) => scope.happened.push(`fail ${message}`),
    };
    widget.innerHTML = scope.customActions.sanitizeWidgetHtml(markup);
    scope.customActions.wireActions(widget, host);
  }, html);
}

const happened = () => page.evaluate(() => (globalThis as unknown as { happened: string[] }).happened);

describe('custom widget HTML', () => {
  it('is shown without scripts, event handlers, iframes or javascript: links, its styles and actions kept', async () => {
    await showInWidget(
      '<style>.x{color:red}</style><p class="x" onclick="alert(1)">hi</p><script>window.ran=1</script><iframe src="about:blank"></iframe><a href="javascript:alert(1)">link</a>' +
        '<a class="btn">Go</a><cwdb-action action="call" endpoint="arn:aws:lambda:us-east-1:000000000000:function:f" display="popup" confirmation="Sure: really?">{"a":1}</cwdb-action>',
    );
    const markup = await page.locator('#widget').innerHTML();
    expect(markup).toContain('<style>.x{color:red}</style><p class="x">hi</p>');
    expect(markup).not.toMatch(/script|onclick|iframe|javascript:/);
    expect(markup).toContain('<cwdb-action action="call" endpoint="arn:aws:lambda:us-east-1:000000000000:function:f" display="popup" confirmation="Sure: really?" hidden="">{"a":1}</cwdb-action>');
    expect(await page.locator('cwdb-action').isVisible()).toBe(false);
  });

  it('shows an html action in a popup or in the widget, on click, after its confirmation, or on mouseenter', async () => {
    await showInWidget(
      '<a class="btn" id="details">Details</a><cwdb-action action="html" display="popup"><b>the details</b></cwdb-action>' +
        '<span id="hover">hover me</span><cwdb-action event="mouseenter" display="popup">hovered</cwdb-action>' +
        '<a class="btn" id="swap">Swap</a><cwdb-action action="html" confirmation="Replace the widget?"><p id="swapped">new content</p></cwdb-action>',
    );
    await page.locator('#details').click();
    await page.locator('#hover').hover();
    expect(await happened()).toEqual(['popup <b>the details</b>', 'popup hovered']);
    await page.locator('#swap').click();
    await page.locator('#swapped').waitFor();
    expect(await happened()).toEqual(['popup <b>the details</b>', 'popup hovered', 'confirm Replace the widget?', 'widget <p id="swapped">new content</p>']);
  });

  it('never calls a function on mouseenter, and says why a call without an endpoint fails', async () => {
    await showInWidget('<a id="sneaky">x</a><cwdb-action action="call" event="mouseenter" endpoint="arn:aws:lambda:us-east-1:000000000000:function:f">{}</cwdb-action><a id="broken">y</a><cwdb-action action="call">{}</cwdb-action>');
    await page.locator('#sneaky').hover();
    await page.locator('#broken').click();
    await expect.poll(happened).toEqual(['fail this action calls no function (no endpoint)']);
  });
});
