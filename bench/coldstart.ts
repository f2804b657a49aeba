/**
 * Cold-start benchmark (issue 2): each function's esbuild bundle, exactly as `NodejsFunction` builds it
 * in a real synth, measured for size and for module load time in fresh Node processes, against a bare
 * handler bundle loaded the same way in the same run.
 *
 *   npx tsx bench/coldstart.ts [--runs 9]
 *
 * Targets: API handlers ≤ 40 ms, workers ≤ 100 ms module load on these machines.
 * The bundles include the AWS SDK clients they use, so the figure is the whole load of the handler.
 * Each process gets the function's template environment, NODE_OPTIONS (`--enable-source-maps`) included,
 * and the variables the Lambda runtime sets, so the bundle loads as in Lambda: without
 * AWS_EXECUTION_ENV the Powertools tracer disables itself (no HTTP patching, SDK clients not
 * captured), and without LAMBDA_TASK_ROOT the X-Ray SDK skips its Lambda set-up. Beside wall time, the CPU time the import took (user + system,
 * all threads) is printed: it barely moves when other work shares the machine, wall time does.
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

/** What the Lambda runtime itself sets in a function's environment (per-invocation and credential variables aside). */
function lambdaRuntimeEnvironment(name: string, taskRoot: string, properties: { Runtime: string; MemorySize: number }): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: `AWS_Lambda_${properties.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: `Tidewatch-bench-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(properties.MemorySize),
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: 'index.handler',
    TZ: ':UTC',
  };
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
      const name = r.Metadata![ENTRY_METADATA_KEY].split('/')[1];
      const assetDir = path.join(assembly.directory, `asset.${hash}`);
      return { name, file: path.join(assetDir, 'index.mjs'), environment: { ...lambdaRuntimeEnvironment(name, assetDir, r.Properties), ...environment } };
    });
}

interface LoadTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Time to import a module in a fresh process, measured inside it (process start excluded). */
function loadTime(file: string, environment: Record<string, string>): LoadTime {
  const script = [
    'const c=process.cpuUsage(),t=performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const w=performance.now()-t,u=process.cpuUsage(c);',
    'process.stdout.write(JSON.stringify({wallMs:w,cpuMs:(u.user+u.system)/1000}));',
  ].join('');
  // stderr kept out of the table (on Node 20 the SDK warns about its coming Node 22 minimum); a failed
  // import still throws with it.
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.toString()) as LoadTime;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Medians of `runs` rounds; each round loads every bundle once, so a burst of load on the machine
 * hits the bare baseline and the functions alike instead of whichever was being measured then.
 */
function measureAll(targets: readonly Bundle[]): Map<string, LoadTime> {
  for (const t of targets) loadTime(t.file, t.environment); // warm the OS file cache; not counted
  const samples = new Map<string, LoadTime[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < runs; round++) for (const t of targets) samples.get(t.name)!.push(loadTime(t.file, t.environment));
  return new Map(
    [...samples].map(([name, s]) => [name, { wallMs: median(s.map((x) => x.wallMs)), cpuMs: median(s.map((x) => x.cpuMs)) }]),
  );
}

const scratch = path.join(PROJECT_ROOT, 'cdk.out');
mkdirSync(scratch, { recursive: true });
const outdir = mkdtempSync(path.join(scratch, 'bench-coldstart-'));
try {
  const bundles = synthesizeBundles(outdir);
  const bare = path.join(outdir, 'bare-handler.mjs');
  writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200 });\n');
  // The bare handler under the same NODE_OPTIONS as the functions.
  const bareBundle: Bundle = { name: 'bare', file: bare, environment: { NODE_OPTIONS: bundles[0]?.environment.NODE_OPTIONS ?? '' } };
  const loads = measureAll([bareBundle, ...bundles]);
  const bareLoad = loads.get('bare')!;

  console.log(`cold start: module load, median of ${runs} fresh processes (node ${process.version}, ${process.arch})`);
  console.log(`bare handler: ${bareLoad.wallMs.toFixed(1)} ms (cpu ${bareLoad.cpuMs.toFixed(1)} ms)`);
  console.log('| function | bundle KiB | load ms | × bare | cpu ms | target ms | meets |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const bundle of bundles.sort((a, b) => a.name.localeCompare(b.name))) {
    const { wallMs, cpuMs } = loads.get(bundle.name)!;
    const kib = statSync(bundle.file).size / 1024;
    const target = TARGET_MS[bundle.name];
    const meets = target === undefined ? '-' : wallMs <= target ? 'yes' : 'NO';
    console.log(`| ${bundle.name} | ${kib.toFixed(0)} | ${wallMs.toFixed(1)} | ${(wallMs / bareLoad.wallMs).toFixed(1)} | ${cpuMs.toFixed(1)} | ${target ?? '-'} | ${meets} |`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
