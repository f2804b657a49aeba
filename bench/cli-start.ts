/**
 * CLI start benchmark: fresh `tidewatch` processes, as the bin line starts them (`node --import tsx
 * bin/tidewatch.ts ...`), of this checkout and of a git ref's code side by side (default: main),
 * against `node --import tsx -e 0` measured in the same rounds.
 *
 *   npx tsx bench/cli-start.ts [--runs 9] [--before main] [--no-local-cloud]
 *
 * Cases: `--help`, `status --help`, `status --verbose` (a usage mistake, refused before any AWS call),
 * and `status` against a local cloud started here (skipped with --no-local-cloud). Each round runs
 * every case once in each checkout, each pair after a baseline process, so all see the same load;
 * medians of the rounds. CPU time
 * (user + system, every thread) is the CLI process's own, read at its exit: it barely moves when other
 * work shares the machine, and it leaves the local cloud's work out. The ref's code is a `git archive`
 * of it in a scratch directory, run with this checkout's node_modules.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_CREDENTIALS } from '../contract/local-cloud';
import { PROJECT_ROOT } from '../lib/project';
import { startLocalCloud, type LocalCloud } from '../local/cloud';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, before: { type: 'string', default: 'main' }, 'local-cloud': { type: 'boolean', default: true } },
  allowNegative: true,
});
const runs = Number(values.runs);

/** Writes the process's CPU time (ms, every thread, since it started) to file descriptor 3 as it exits. */
const REPORT_CPU = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1000)); });",
)}`;

interface Case {
  readonly name: string;
  /** What follows `node --import tsx`. */
  readonly args: readonly string[];
  readonly exitCodes: readonly number[];
  /** Prints the same whenever and wherever it runs (no clock, no live state): both trees must agree. */
  readonly fixedOutput: boolean;
}

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
  /** stdout, then stderr. */
  readonly output: string;
}

const BASELINE: Case = { name: 'node --import tsx -e 0', args: ['-e', '0'], exitCodes: [0], fixedOutput: true };

function cliCases(cloud: LocalCloud | undefined): Case[] {
  const cli = (...args: string[]) => ['bin/tidewatch.ts', ...args];
  return [
    { name: '--help', args: cli('--help'), exitCodes: [0], fixedOutput: true },
    { name: 'status --help', args: cli('status', '--help'), exitCodes: [0], fixedOutput: true },
    { name: 'status --verbose (usage error)', args: cli('status', '--verbose'), exitCodes: [1], fixedOutput: true },
    ...(cloud ? [{ name: 'status, local cloud', args: cli('status', '--endpoint-url', cloud.endpoints.aws, '--stage', 'local'), exitCodes: [0, 2], fixedOutput: false }] : []),
  ];
}

/** One fresh process in `cwd`; rejects when it exits otherwise than the case expects. */
function startOnce(testCase: Case, cwd: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', REPORT_CPU, '--import', 'tsx', ...testCase.args], {
      cwd,
      env: { ...process.env, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '', cpu: '' };
    child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    child.stdio[3]!.on('data', (chunk: Buffer) => (output.cpu += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code === null || !testCase.exitCodes.includes(code) || output.cpu === '') {
        reject(new Error(`${testCase.name} in ${cwd} exited ${code}: ${output.stderr.slice(-2000)}`));
        return;
      }
      resolve({ cpuMs: Number(output.cpu), wallMs, output: output.stdout + output.stderr });
    });
  });
}

/** The ref's tree in a scratch directory, resolving packages from this checkout's node_modules. */
function checkoutOf(ref: string): { directory: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  const directory = mkdtempSync(path.join(tmpdir(), 'tidewatch-cli-start-'));
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${directory}"`], { cwd: PROJECT_ROOT });
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  return { directory, commit };
}

const median = (numbers: readonly number[]) => {
  const sorted = numbers.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const before = checkoutOf(values.before);
const cloud = values['local-cloud']
  ? await startLocalCloud({ port: 0, apiPort: 0, downloadPort: 0, stateDirectory: mkdtempSync(path.join(tmpdir(), 'tidewatch-cli-start-cloud-')) })
  : undefined;
try {
  const trees = [
    { label: `before (${values.before}, ${before.commit})`, directory: before.directory },
    { label: 'after (this checkout)', directory: PROJECT_ROOT },
  ];
  const cases = cliCases(cloud);
  const loadBefore = loadavg()[0]!;
  // A first, unmeasured round: tsx compiles each file once into its cache, for either tree.
  for (const tree of trees) for (const testCase of [BASELINE, ...cases]) await startOnce(testCase, tree.directory);

  const samples = new Map<string, Sample[]>();
  const record = (key: string, sample: Sample) => samples.set(key, [...(samples.get(key) ?? []), sample]);
  for (let round = 0; round < runs; round++) {
    for (const testCase of cases) {
      record(BASELINE.name, await startOnce(BASELINE, PROJECT_ROOT));
      for (const tree of trees) record(`${tree.label}|${testCase.name}`, await startOnce(testCase, tree.directory));
    }
  }
  const loadAfter = loadavg()[0]!;

  const figures = (key: string) => ({ cpuMs: median(samples.get(key)!.map((s) => s.cpuMs)), wallMs: median(samples.get(key)!.map((s) => s.wallMs)) });
  const baseline = figures(BASELINE.name);
  const ms = (value: number) => value.toFixed(0);
  const times = (value: number, of: number) => (value / of).toFixed(2);
  console.log(`CLI start, medians of ${runs} rounds; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  console.log(`baseline ${BASELINE.name}: ${ms(baseline.cpuMs)} ms CPU, ${ms(baseline.wallMs)} ms wall\n`);
  console.log('| command | before CPU ms (× baseline) | after CPU ms (× baseline) | before wall ms (× baseline) | after wall ms (× baseline) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const testCase of cases) {
    const [was, now] = trees.map((tree) => figures(`${tree.label}|${testCase.name}`)) as [ReturnType<typeof figures>, ReturnType<typeof figures>];
    console.log(
      `| ${testCase.name} | ${ms(was.cpuMs)} (${times(was.cpuMs, baseline.cpuMs)}) | ${ms(now.cpuMs)} (${times(now.cpuMs, baseline.cpuMs)}) | ${ms(was.wallMs)} (${times(was.wallMs, baseline.wallMs)}) | ${ms(now.wallMs)} (${times(now.wallMs, baseline.wallMs)}) |`,
    );
  }
  // Otherwise the two trees would be doing different work.
  for (const testCase of cases.filter((candidate) => candidate.fixedOutput)) {
    const [was, now] = trees.map((tree) => samples.get(`${tree.label}|${testCase.name}`)![0]!.output);
    if (was !== now) console.log(`\nnote: ${testCase.name} prints differently before and after`);
  }
} finally {
  await cloud?.stop();
  rmSync(before.directory, { recursive: true, force: true });
}
