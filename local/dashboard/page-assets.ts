/**
 * The dashboard page's static parts: its HTML shell, its stylesheet, its script (the page's TypeScript
 * bundled once by esbuild, as the local cloud bundles functions) and ECharts' own browser build from
 * node_modules. Nothing is loaded from the internet.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { build } from 'esbuild';

/** ECharts' self-contained browser build, wherever npm installed the package. */
const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');

export interface Asset {
  readonly contentType: string;
  readonly body: string | Buffer;
}

/** The shell: the page's script draws everything from `/dashboard/body.json`. */
const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tidewatch on-call dashboard (local)</title>
<link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/vendor/echarts.min.js"></script>
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<header class="toolbar"><h1 id="dashboard-name">Dashboard</h1><div id="controls"></div></header>
<main id="grid" class="grid" aria-busy="true"></main>
<dialog id="confirm-dialog"><p class="message"></p><form method="dialog"><button value="cancel" class="btn">Cancel</button> <button value="confirm" class="btn btn-primary">Confirm</button></form></dialog>
<dialog id="popup-dialog"><div class="popup-content"></div><form method="dialog"><button value="close" class="btn">Close</button></form></dialog>
</body>
</html>
`;

export class PageAssets {
  private script: Promise<string> | undefined;

  async asset(name: string): Promise<Asset | undefined> {
    switch (name) {
      case '':
        return { contentType: 'text/html; charset=utf-8', body: SHELL };
      case 'app.css':
        return { contentType: 'text/css; charset=utf-8', body: await readFile(path.join(import.meta.dirname, 'page', 'dashboard.css')) };
      case 'app.js':
        // Once per server: a failed build is retried on the next request, not kept.
        this.script ??= bundlePage().catch((error: unknown) => {
          this.script = undefined;
          throw error;
        });
        return { contentType: 'text/javascript; charset=utf-8', body: await this.script };
      case 'vendor/echarts.min.js':
        return { contentType: 'text/javascript; charset=utf-8', body: await readFile(ECHARTS) };
      default:
        return undefined;
    }
  }
}

async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, 'page', 'browser', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
