/**
 * Headless Chromium for the browser tests: Debian's `/usr/bin/chromium` (installed by
 * scripts/ensure-chromium.sh, which the local-cloud tests' global setup runs) driven by playwright-core,
 * which downloads no browser of its own. The flags keep it off the network it cannot reach here (no
 * component updates, sync, background requests or QUIC), and each launch gets a fresh profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface HeadlessBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a profile of its own, removed on close. */
export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<HeadlessBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'tidewatch-chromium-'));
  // launchPersistentContext is how playwright takes --user-data-dir; headless adds --headless.
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
