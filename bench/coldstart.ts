/**
 * Cold-start benchmark (issue 2): each function's esbuild bundle, exactly as `NodejsFunction` builds it
 * in a real synth, measured for size and for module load time in fresh Node processes, against a bare
 * handler bundle loaded the same way in the same run.
 *
 *   npx tsx bench/coldstart.ts [--runs 9]
 *
 * Targets: API handlers ≤ 40 ms, workers ≤ 100 ms module load on these machines.
 * The bundles include the AWS SDK clients they use, so the figure is the whole load of the handler.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../lib/app';
import { ENTRY_METADATA_KEY, PROJECT_ROOT } from '../lib/instrumented-function';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Number(values.runs);

const TARGET_MS: Record<string, number> = { presign: 40, 'submit-job': 40, 'job-status': 40, 'file-worker': 100, 'job-worker': 100 };

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly environment: Record<string, string>;
}

/** Synthesizes with real bundling into a scratch assembly inside the project (so externals resolve). */
function synthesizeBundles(outdir: string): Bundle[] {
  const { app, stack } = createApp({ context: { tidewatch: { stage: 'bench' } }, outdir });
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties: any }>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[ENTRY_METADATA_KEY])
    .map((r) => {
      const hash = String(r.Properties.Code.S3Key).replace(/\.zip$/, '');
      const variables = r.Properties.Environment.Variables as Record<string, unknown>;
      // Tokens (Refs) become plain placeholder names: handlers only read them at load.
      const environment = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `bench-${k}`]));
      return { name: r.Metadata![ENTRY_METADATA_KEY].split('/')[1], file: path.join(assembly.directory, `asset.${hash}`, 'index.mjs'), environment };
    });
}

/** Milliseconds to import a module in a fresh process, measured inside it (process start excluded). */
function loadTimeMs(file: string, environment: Record<string, string>): number {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...environment },
  });
  return Number(out.toString());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(file: string, environment: Record<string, string>): number {
  loadTimeMs(file, environment); // warm the OS file cache; not counted
  return median(Array.from({ length: runs }, () => loadTimeMs(file, environment)));
}

const scratch = path.join(PROJECT_ROOT, 'cdk.out');
mkdirSync(scratch, { recursive: true });
const outdir = mkdtempSync(path.join(scratch, 'bench-coldstart-'));
try {
  const bundles = synthesizeBundles(outdir);
  const bare = path.join(outdir, 'bare-handler.mjs');
  writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200 });\n');
  const bareMs = measure(bare, {});

  console.log(`cold start: module load, median of ${runs} fresh processes (node ${process.version}, ${process.arch})`);
  console.log(`bare handler: ${bareMs.toFixed(1)} ms`);
  console.log('| function | bundle KiB | load ms | × bare | target ms | meets |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const bundle of bundles.sort((a, b) => a.name.localeCompare(b.name))) {
    const ms = measure(bundle.file, bundle.environment);
    const kib = statSync(bundle.file).size / 1024;
    const target = TARGET_MS[bundle.name];
    console.log(`| ${bundle.name} | ${kib.toFixed(0)} | ${ms.toFixed(1)} | ${(ms / bareMs).toFixed(1)} | ${target ?? '-'} | ${target === undefined ? '-' : ms <= target ? 'yes' : 'NO'} |`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
