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
 * Targets, init + first invocation from the process's start (Lambda's init phase covers the runtime's start
 * as well as the function's; Node's and the runtime client's start are in the bare handler's figure too):
 * API handlers ≤ 10 × bare, workers ≤ 20 × bare, in CPU (steady on a loaded machine) and in wall time
 * (what Lambda bills). Beside it, each function's code alone (its import and invocation, what earlier
 * rounds of this bench reported) against the floor's: a bare handler's code is a one-line require, too
 * small to divide by.
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

type Figures = Omit<ColdInvocation, 'result' | 'stdout'>;

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median over rounds of `of(round)`: a ratio is taken within its round, where the load was the same for both sides. */
const medianOver = (rounds: number, of: (round: number) => number) => median(Array.from({ length: rounds }, (_, round) => of(round)));

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
  // The bare handler is CommonJS like the functions, imported as the runtime client imports them.
  const bareHandler = path.join(outdir, 'bare-handler.js');
  writeFileSync(bareHandler, 'exports.handler = async () => ({ statusCode: 200 });\n');
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
      const bundle = name === 'bare' ? bareHandler : bundles.get(name)!;
      const step = steps.get(name);
      const environment = environmentOf(name === 'bare' || step ? 'job-status' : name);
      const event = name === 'bare' ? {} : await cases[step ? 'job-status' : name]!.event();
      const run = await coldInvocation(bundle, environment, event, PROJECT_ROOT, { nodeFlags });
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
    // Each function's every invocation sent its trace (the tracer's handler subsegment) to the stand-in daemon.
    const traced = [...names, ...REFERENCE_STEPS.filter((step) => step.traces).map((step) => referenceService(step.name))];
    const untraced = traced.filter((name) => xray.segmentsFrom(name) < runs + 1);
    if (untraced.length > 0) throw new Error(`no trace segment from every invocation of ${untraced.join(', ')}`);
    const bare = samples.get('bare')!;
    const floor = samples.get(FLOOR)!;
    // A cold start's CPU, less the runtime's two exchanges as the bare handler's process spent them in the same
    // round: Lambda's client makes them natively. What else runs meanwhile in a function's process still counts.
    const startCpu = (figures: Figures[], round: number) => figures[round]!.processCpuMs - bare[round]!.exchangeCpuMs;
    const row = (name: string) => {
      const figures = samples.get(name)!;
      return {
        startCpu: medianOver(runs, (r) => startCpu(figures, r)),
        timesBareCpu: medianOver(runs, (r) => startCpu(figures, r) / startCpu(bare, r)),
        initWall: medianOver(runs, (r) => figures[r]!.initWallMs),
        totalWall: medianOver(runs, (r) => figures[r]!.totalWallMs),
        timesBareWall: medianOver(runs, (r) => figures[r]!.totalWallMs / bare[r]!.totalWallMs),
        codeCpu: medianOver(runs, (r) => figures[r]!.codeCpuMs),
        timesFloorCode: medianOver(runs, (r) => figures[r]!.codeCpuMs / floor[r]!.codeCpuMs),
      };
    };
    const ms = (value: number) => value.toFixed(1);
    const times = (value: number) => value.toFixed(2);
    const base = row('bare');
    console.log(`cold start: init + first invocation, ${runs} rounds of fresh processes, medians; ratios are medians of each round's own (node ${process.version}, ${process.arch}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    console.log("cold start: from the process's start (Node with Lambda's flags, the runtime client, the handler's import) to the first answer; code: the handler's import and invocation alone");
    console.log(
      `bare handler: ${ms(base.startCpu)} ms cpu, ${ms(base.totalWall)} ms wall (init ${ms(base.initWall)}); Node's and the runtime client's start ${ms(medianOver(runs, (r) => bare[r]!.runtimeStartCpuMs))} ms cpu, its Runtime API exchanges ${ms(medianOver(runs, (r) => bare[r]!.exchangeCpuMs))}, code ${ms(base.codeCpu)}`,
    );
    const kibOf = (name: string) => (statSync(bundles.get(name)!).size / 1024).toFixed(0);
    console.log('the floor: what the libraries every function keeps cost on their own, one step at a time');
    console.log('| step | bundle KiB | cold start cpu ms | × bare cpu | code cpu ms | + code cpu ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(`| a. bare handler | 0 | ${ms(base.startCpu)} | 1.00 | ${ms(base.codeCpu)} | |`);
    REFERENCE_STEPS.reduce((previous, step) => {
      const r = row(step.name);
      console.log(`| ${step.label} | ${kibOf(step.name)} | ${ms(r.startCpu)} | ${times(r.timesBareCpu)} | ${ms(r.codeCpu)} | ${ms(r.codeCpu - previous.codeCpu)} |`);
      return r;
    }, base);
    console.log('| function | bundle KiB | cold start cpu ms | × bare cpu | init wall ms | cold start wall ms | × bare wall | code cpu ms | × floor code | target | meets |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const name of names) {
      const r = row(name);
      const target = targetOf(name);
      // Met when both CPU (steady on a loaded machine) and wall time (what Lambda bills) are within it.
      const meets = target === undefined ? '-' : r.timesBareCpu <= target && r.timesBareWall <= target ? 'yes' : 'no';
      console.log(
        `| ${name} | ${kibOf(name)} | ${ms(r.startCpu)} | ${times(r.timesBareCpu)} | ${ms(r.initWall)} | ${ms(r.totalWall)} | ${times(r.timesBareWall)} | ${ms(r.codeCpu)} | ${times(r.timesFloorCode)} | ${target ?? '-'} | ${meets} |`,
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
