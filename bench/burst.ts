/**
 * A burst of job submissions on a fresh local cloud: `--jobs` POST /jobs with `--concurrency` in flight,
 * so the first requests meet no environment and cold-start submit-job's execution environments
 * together. The same burst then runs again on the same cloud, now warm: the baseline of what the HTTP
 * API and the function cost without cold starts, measured in the same run on the same machine.
 *
 *   npx tsx bench/burst.ts [--jobs 1000] [--concurrency 20]
 *
 * Prints, for each burst: the answers by status (every one must be 202; a request with no answer at all
 * counts by its error code), p50/p99/max latency, and the function's cold starts with their init
 * durations. Exits non-zero when any answer is not 202.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import type { InvocationRecord } from '../local/runtime';
import { synthesizeTemplate } from '../local/template/synthesize';
import { runBounded } from './lib/run-bounded';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '20' } } });
const JOBS = Number(values.jobs);
const CONCURRENCY = Number(values.concurrency);

interface BurstResult {
  readonly name: string;
  readonly seconds: number;
  readonly latenciesMs: readonly number[];
  /** Answers by HTTP status; requests that got no answer by their error code. */
  readonly outcomes: ReadonlyMap<string, number>;
  /** Init durations of the cold starts of the function behind POST /jobs. */
  readonly initDurationsMs: readonly number[];
}

async function burst(cloud: LocalCloud, name: string, submitJobName: string): Promise<BurstResult> {
  const url = `${cloud.endpoints.api}jobs`;
  const latenciesMs: number[] = [];
  const outcomes = new Map<string, number>();
  const initDurationsMs: number[] = [];
  const unsubscribe = cloud.runtime.onInvocation((record: InvocationRecord) => {
    if (record.functionName === submitJobName && record.initDurationMs !== undefined) initDurationsMs.push(record.initDurationMs);
  });
  const started = performance.now();
  await runBounded(JOBS, CONCURRENCY, async (index) => {
    const sent = performance.now();
    const outcome = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'sum', payload: { numbers: [index, 1, 2] } }) }).then(
      async (response) => {
        await response.arrayBuffer();
        return String(response.status);
      },
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    latenciesMs.push(performance.now() - sent);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  });
  const seconds = (performance.now() - started) / 1000;
  unsubscribe();
  return { name, seconds, latenciesMs, outcomes, initDurationsMs };
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function describe(result: BurstResult): string {
  const answers = [...result.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, count]) => `${outcome}×${count}`).join(' ');
  const count = (matches: (outcome: string) => boolean) => [...result.outcomes].filter(([outcome]) => matches(outcome)).reduce((sum, [, n]) => sum + n, 0);
  const serverErrors = count((outcome) => /^5\d\d$/.test(outcome));
  const unanswered = count((outcome) => !/^\d+$/.test(outcome));
  const ms = (value: number) => `${Math.round(value)} ms`;
  const inits = result.initDurationsMs;
  const initText = inits.length === 0 ? 'none' : `${inits.length} (init p50 ${ms(percentile(inits, 0.5))}, max ${ms(Math.max(...inits))})`;
  return [
    `${result.name}: ${JOBS} in ${result.seconds.toFixed(1)} s, answers ${answers}; 5xx ${serverErrors}, no answer ${unanswered}`,
    `  latency p50 ${ms(percentile(result.latenciesMs, 0.5))}, p99 ${ms(percentile(result.latenciesMs, 0.99))}, max ${ms(Math.max(...result.latenciesMs))}`,
    `  cold starts ${initText}`,
  ].join('\n');
}

async function main(): Promise<void> {
  process.stdout.write(`Burst: ${JOBS} POST /jobs, ${CONCURRENCY} in flight, on a fresh local cloud (node ${process.version}, ${process.arch})\n\n`);
  const template = await synthesizeTemplate();
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-bench-'));
  const cloud = await startLocalCloud({ template, port: 0, apiPort: 0, downloadPort: 0, stateDirectory });
  const submitJobName = cloud.services.functions.find((fn) => fn.entry.endsWith(path.join('submit-job', 'index.ts')))?.name;
  let clean = true;
  try {
    if (!submitJobName) throw new Error('the template has no submit-job function');
    for (const name of ['cold', 'warm']) {
      const result = await burst(cloud, name, submitJobName);
      process.stdout.write(`${describe(result)}\n`);
      clean &&= [...result.outcomes.keys()].every((outcome) => outcome === '202');
    }
  } finally {
    await cloud.stop();
    await rm(stateDirectory, { recursive: true, force: true });
  }
  if (!clean) {
    process.stderr.write('bench/burst: some POST /jobs were not accepted (202)\n');
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench/burst: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
