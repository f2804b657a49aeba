/**
 * Cold-start benchmark: each function's esbuild bundle, exactly as `NodejsFunction` builds it in a real
 * synth, started cold as Lambda starts it (a fresh Node process with the bootstrap's flags, a runtime
 * client that fetches the event from a Runtime API: bench/lib/cold-invocation.ts) and invoked once with
 * a real first event against a local cloud (its SDK calls over the network included), so work moved out
 * of init into the first call still counts. Against a bare handler (`async () => ({ statusCode: 200 })`)
 * started and invoked the same way, in the same rounds.
 *
 *   npx tsx bench/coldstart.ts [--runs 7] [--functions presign,job-worker] [--cpu-prof-dir DIR]
 *
 * Targets, init + first invocation as Lambda bills it (from the process's start: Node's and the runtime
 * client's start are in the bare handler's figure too): API handlers ≤ 10 × bare, workers ≤ 20 × bare.
 * Beside it, each function's code alone (its import and invocation, what earlier rounds of this bench
 * reported) against the floor's: a bare handler's code is a one-line require, too small to divide by.
 * In the same rounds, reference handlers bundled the same way add the libraries every function keeps one
 * step at a time (bench/lib/cold-references.ts), up to the floor: what those libraries cost on their own.
 * Each process gets the function's environment as the local cloud resolves it, plus what the Lambda
 * runtime sets (AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT, the X-Ray daemon's address; the sampled trace
 * header comes with the event): so the Powertools tracer is on and the X-Ray SDK in its Lambda mode, as
 * in AWS. Every invocation's answer is checked, and so is its instrumentation: the ColdStart EMF metric
 * on stdout, a trace segment at a stand-in X-Ray daemon.
 * CPU time (user + system, every thread of the function's process) is printed beside wall time: it
 * barely moves when other work shares the machine, and it leaves out the local cloud's own work.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Stack } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createApp } from '../lib/app';
import { ENTRY_METADATA_KEY, PROJECT_ROOT } from '../lib/project';
import { startLocalCloud } from '../local/cloud';
import { functionEnvironment } from '../local/runtime/function-environment';
import type { SynthesizedStack } from '../local/template/model';
import { synthesizeTemplate } from '../local/template/synthesize';
import { coldInvocation, type ColdInvocation } from './lib/cold-invocation';
import { coldStartCases } from './lib/coldstart-events';
import { addReferenceStack, FLOOR, REFERENCE_STEPS, referenceService, type ReferenceStep } from './lib/cold-references';
import { openXrayInbox } from './lib/xray-inbox';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, functions: { type: 'string' }, 'cpu-prof-dir': { type: 'string' } } });
const runs = Number(values.runs);
const only = values.functions?.split(',');
/** Every measured process writes a CPU profile there (the profiler's own cost weighs on the figures). */
const nodeFlags = values['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${path.resolve(values['cpu-prof-dir'])}`] : [];

const API_HANDLERS = new Set(['presign', 'submit-job', 'job-status', 'file-status', 'list-items']);
const WORKERS = new Set(['job-worker', 'file-worker']);
const targetOf = (name: string) => (API_HANDLERS.has(name) ? 10 : WORKERS.has(name) ? 20 : undefined);

/**
 * Builds every function's bundle, and the reference handlers', with real bundling into a scratch assembly
 * inside the project; its file by name (`handlers/<name>/index.ts`, `bench/coldstart-references/<name>.ts`).
 */
function bundleFiles(outdir: string): Map<string, string> {
  const { app, stack } = createApp({ context: { tidewatch: { stage: 'bench' } }, outdir });
  const references = addReferenceStack(app, stack.config);
  const assembly = app.synth();
  return new Map([stack, references].flatMap((s) => bundlesOf(assembly, s)));
}

function bundlesOf(assembly: CloudAssembly, stack: Stack): (readonly [string, string])[] {
  const template = assembly.getStackArtifact(stack.artifactId).template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties: { Code: { S3Key: string } } }>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[ENTRY_METADATA_KEY])
    .map((r) => {
      const asset = path.join(assembly.directory, `asset.${r.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      // index.mjs for an ES module bundle, index.js for CommonJS.
      const file = ['index.mjs', 'index.js'].map((name) => path.join(asset, name)).find((candidate) => existsSync(candidate));
      if (!file) throw new Error(`no bundle in ${asset}`);
      const entry = r.Metadata![ENTRY_METADATA_KEY]!;
      return [entry.startsWith('handlers/') ? entry.split('/')[1]! : path.basename(entry, '.ts'), file] as const;
    });
}

/** The local cloud's template with every event source mapping off: the bench takes the workers' messages itself. */
function withoutPollers(stack: SynthesizedStack): SynthesizedStack {
  const resources = Object.fromEntries(
    Object.entries(stack.template.Resources).map(([id, r]) => [id, r.Type === 'AWS::Lambda::EventSourceMapping' ? { ...r, Properties: { ...r.Properties, Enabled: false } } : r]),
  );
  return { ...stack, template: { ...stack.template, Resources: resources } };
}

/** What the Lambda runtime adds with active tracing: the X-Ray SDK in its Lambda mode (each invocation's sampled trace comes with its event). */
function lambdaRuntimeEnvironment(xrayDaemon: string): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_XRAY_DAEMON_ADDRESS: xrayDaemon,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    TZ: ':UTC',
  };
}

const FIGURES = ['initWallMs', 'initCpuMs', 'totalWallMs', 'totalCpuMs', 'runtimeStartCpuMs', 'codeInitCpuMs', 'codeCpuMs'] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A function's output must still carry its Powertools metrics (the ColdStart metric, as EMF), a reference's what its step adds. */
function missingInstrumentation(expected: Pick<ReferenceStep, 'logs' | 'metrics'>, run: ColdInvocation): string | undefined {
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('{'));
  if (expected.metrics && !lines.some((line) => line.includes('"_aws"') && line.includes('"ColdStart"'))) return 'no ColdStart EMF metric';
  if (expected.logs && !lines.some((line) => line.includes('"level":"INFO"'))) return 'no INFO log line';
  return undefined;
}

const FUNCTION_INSTRUMENTATION = { logs: false, metrics: true };

async function main(): Promise<void> {
  const scratch = path.join(PROJECT_ROOT, 'cdk.out');
  mkdirSync(scratch, { recursive: true });
  const outdir = mkdtempSync(path.join(scratch, 'bench-coldstart-'));
  // The project is "type": "module": a package.json of the assembly's own makes a CommonJS bundle's index.js
  // CommonJS there, as in Lambda's task root, which has none.
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
  const stateDirectory = mkdtempSync(path.join(tmpdir(), 'tidewatch-coldstart-'));
  const bundles = bundleFiles(outdir);
  // The bare handler is loaded as the functions are: CommonJS, by require().
  const bare = path.join(outdir, 'bare-handler.js');
  writeFileSync(bare, 'exports.handler = async () => ({ statusCode: 200 });\n');
  const cloud = await startLocalCloud({ template: withoutPollers(await synthesizeTemplate()), port: 0, apiPort: 0, downloadPort: 0, stateDirectory });
  const { cases, dispose } = coldStartCases(cloud);
  const xray = await openXrayInbox();
  try {
    const environmentOf = (name: string) => {
      const fn = cloud.services.functions.find((candidate) => candidate.entry.endsWith(`handlers/${name}/index.ts`))!;
      const { POWERTOOLS_TRACE_ENABLED: _tracingOnInLambda, AWS_XRAY_MANUAL_MODE: _automaticInLambda, _HANDLER: _fromTheBundle, ...local } = functionEnvironment({ ...fn, functionName: fn.name, handler: 'index.handler', endpoint: cloud.endpoints.aws, region: cloud.services.region });
      return { ...local, ...lambdaRuntimeEnvironment(xray.address) };
    };
    const steps = new Map(REFERENCE_STEPS.map((step) => [step.name, step]));
    const names = [...bundles.keys()].filter((name) => !steps.has(name) && (!only || only.includes(name))).sort();
    // The bare handler and the references run with job-status's environment (the floor reads its table) and event.
    const measure = async (name: string): Promise<Figures> => {
      const bundle = name === 'bare' ? bare : bundles.get(name)!;
      const step = steps.get(name);
      const environment = environmentOf(name === 'bare' || step ? 'job-status' : name);
      const event = name === 'bare' ? {} : await cases[step ? 'job-status' : name]!.event();
      const run = await coldInvocation(bundle, environment, event, PROJECT_ROOT, nodeFlags);
      const wrong =
        name === 'bare' ? undefined
        : step ? ((name === FLOOR ? cases['job-status']!.wrongAnswer(run.result) : undefined) ?? missingInstrumentation(step, run))
        : (cases[name]!.wrongAnswer(run.result) ?? missingInstrumentation(FUNCTION_INSTRUMENTATION, run));
      if (wrong) throw new Error(`${name}: ${wrong}\n${run.stdout.slice(-3000)}`);
      return run;
    };
    const samples = new Map<string, Figures[]>(['bare', ...steps.keys(), ...names].map((name) => [name, []]));
    for (const name of samples.keys()) await measure(name); // warms the OS file cache and the cloud; not counted
    // Each round runs every function once: a burst of load on the machine hits the baseline and the functions alike.
    for (let round = 0; round < runs; round++) for (const [name, figures] of samples) figures.push(await measure(name));
    const medians = new Map(
      [...samples].map(([name, figures]) => [
        name,
        Object.fromEntries(FIGURES.map((key) => [key, median(figures.map((f) => f[key]))])) as Figures,
      ]),
    );
    // Each function's every invocation sent its trace (the tracer's handler subsegment) to the stand-in daemon.
    const traced = [...names, ...REFERENCE_STEPS.filter((step) => step.traces).map((step) => referenceService(step.name))];
    const untraced = traced.filter((name) => xray.segmentsFrom(name) < runs + 1);
    if (untraced.length > 0) throw new Error(`no trace segment from every invocation of ${untraced.join(', ')}`);
    const base = medians.get('bare')!;
    const timesBare = (m: Figures) => (m.totalCpuMs / base.totalCpuMs).toFixed(1);
    console.log(`cold start: init + first invocation, median of ${runs} fresh processes (node ${process.version}, ${process.arch}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    console.log("billed: from the process's start (Node with Lambda's flags, the runtime client, the handler's import) through the first invocation; code: the handler's import and invocation alone");
    console.log(`bare handler: billed ${base.totalCpuMs.toFixed(1)} ms cpu (${base.totalWallMs.toFixed(1)} ms wall), of which Node's and the runtime client's start ${base.runtimeStartCpuMs.toFixed(1)}, code ${base.codeCpuMs.toFixed(1)}`);
    const kibOf = (name: string) => (statSync(bundles.get(name)!).size / 1024).toFixed(0);
    console.log('the floor: what the libraries every function keeps cost on their own, one step at a time');
    console.log('| step | bundle KiB | billed cpu ms | × bare | code cpu ms | + code cpu ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(`| a. bare handler | 0 | ${base.totalCpuMs.toFixed(1)} | 1.0 | ${base.codeCpuMs.toFixed(1)} | |`);
    REFERENCE_STEPS.reduce((previous, step) => {
      const m = medians.get(step.name)!;
      console.log(`| ${step.label} | ${kibOf(step.name)} | ${m.totalCpuMs.toFixed(1)} | ${timesBare(m)} | ${m.codeCpuMs.toFixed(1)} | ${(m.codeCpuMs - previous.codeCpuMs).toFixed(1)} |`);
      return m;
    }, base);
    const floor = medians.get(FLOOR)!;
    console.log('| function | bundle KiB | init wall ms | billed wall ms | code cpu ms | × floor code | billed cpu ms | × bare | target | meets |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const name of names) {
      const m = medians.get(name)!;
      const target = targetOf(name);
      const meets = target === undefined ? '-' : m.totalCpuMs / base.totalCpuMs <= target ? 'yes' : 'no';
      console.log(
        `| ${name} | ${kibOf(name)} | ${m.initWallMs.toFixed(1)} | ${m.totalWallMs.toFixed(1)} | ${m.codeCpuMs.toFixed(1)} | ${(m.codeCpuMs / floor.codeCpuMs).toFixed(2)} | ${m.totalCpuMs.toFixed(1)} | ${timesBare(m)} | ${target ?? '-'} | ${meets} |`,
      );
    }
  } finally {
    dispose();
    xray.close();
    await cloud.stop();
    rmSync(outdir, { recursive: true, force: true });
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench/coldstart: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
