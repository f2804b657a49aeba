/**
 * Cost per item: files and jobs through the local cloud, Tidewatch and the seeds' naive pipeline
 * (bench/naive/) in the same run, each on a fresh cloud, counting what each item uses in AWS's billing
 * units (bench/cost/usage-meter.ts) and pricing it with the price table (contract/prices.ts).
 *
 *   npx tsx bench/cost.ts [--items 1000] [--concurrency 16] [--no-write]
 *
 * `--items N` sends N files (POST /presign, then a PUT to the presigned URL) and N jobs (POST /jobs)
 * through each pipeline. Lambda GB-seconds are the local durations (init included) times the configured
 * memory: an estimate, since this machine is not Lambda. Prints a table per service, the requests per
 * item and each function's share, and writes bench/results/cost.json (read by `tidewatch cost`).
 * Target: Tidewatch ≤ 1.5 × the naive pipeline per million items.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PRICES_AS_OF } from '../contract/prices';
import { BENCHMARK_RESULT_FILE, type CostBenchmarkResult, type PipelineCost } from '../lib/cost/benchmark-result';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { largestItemBytes } from './cost/item-size';
import { NAIVE, TIDEWATCH, type Phase, type Pipeline } from './cost/pipelines';
import { gbSecondsOf, SERVICES, usageCost } from './cost/usage-cost';
import { UsageMeter, type Usage } from './cost/usage-meter';
import { runBounded } from './lib/run-bounded';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ITEMS = Number(values.items);
const CONCURRENCY = Number(values.concurrency);
if (!Number.isInteger(ITEMS) || ITEMS < 1 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) throw new Error('--items and --concurrency must be positive integers');
/** Longest a phase may take before the run is declared stuck. */
const PHASE_DEADLINE_MS = 20 * 60_000;
/** After the last item is done, its poller still deletes its message: usage is taken once requests stop. */
const QUIET_MS = 2_000;

interface PipelineRun {
  readonly pipeline: Pipeline;
  readonly usage: Record<Phase, Usage>;
  readonly largestItemBytes: number;
}

/** Tells, from the pipeline's output, when a phase's items are all done; fails on the first failure. */
class Progress {
  private readonly done: Record<Phase, number> = { files: 0, jobs: 0 };
  private failure: Error | undefined;
  private waiting: { phase: Phase; resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(cloud: LocalCloud, pipeline: Pipeline) {
    cloud.runtime.onLine((_functionName, line) => {
      const verdict = pipeline.readLine(line);
      if (verdict.done) this.done[verdict.done.phase] += verdict.done.count;
      if (verdict.failure) this.failure ??= new Error(`${pipeline.name}: ${verdict.failure}`);
      if (this.failure) this.waiting?.reject(this.failure);
      else if (this.waiting && this.done[this.waiting.phase] >= ITEMS) this.waiting.resolve();
    });
  }

  /** Resolves once every item of `phase` is done; rejects on a failure or after PHASE_DEADLINE_MS. */
  async allDone(phase: Phase): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.done[phase] >= ITEMS) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiting = { phase, resolve, reject };
        timer = setTimeout(() => reject(new Error(`${phase}: ${this.done[phase]} of ${ITEMS} done after ${PHASE_DEADLINE_MS / 1000} s`)), PHASE_DEADLINE_MS);
      });
    } finally {
      clearTimeout(timer);
      this.waiting = undefined;
    }
  }
}

/** Resolves once the endpoint has served nothing but long polls for QUIET_MS. */
async function quiet(cloud: LocalCloud): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  await new Promise<void>((resolve) => {
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, QUIET_MS);
    };
    stop = cloud.services.onServed(({ action }) => {
      if (action !== 'ReceiveMessage') restart();
    });
    restart();
  });
  stop?.();
}

async function sendFiles(cloud: LocalCloud): Promise<void> {
  await runBounded(ITEMS, CONCURRENCY, async () => {
    const presigned = await fetch(`${cloud.endpoints.api}presign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'x.csv', contentType: 'text/csv' }) });
    if (presigned.status !== 200) throw new Error(`POST /presign answered ${presigned.status}: ${await presigned.text()}`);
    const { uploadUrl, headers } = (await presigned.json()) as { uploadUrl: string; headers: Record<string, string> };
    // Unique content: identical content would be recorded DUPLICATE, not processed.
    const id = randomUUID();
    const put = await fetch(uploadUrl, { method: 'PUT', headers, body: `id,name,amount\n${id},"Doe, Jane",12.5\n2,Bob,7\n` });
    if (put.status !== 200) throw new Error(`PUT to the presigned URL answered ${put.status}: ${await put.text()}`);
  });
}

async function sendJobs(cloud: LocalCloud): Promise<void> {
  await runBounded(ITEMS, CONCURRENCY, async (index) => {
    const response = await fetch(`${cloud.endpoints.api}jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'sum', payload: { numbers: [index, 1, 2] } }) });
    if (response.status !== 202) throw new Error(`POST /jobs answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  });
}

async function runPipeline(pipeline: Pipeline): Promise<PipelineRun> {
  const template = await pipeline.synthesize();
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-cost-'));
  const cloud = await startLocalCloud({ template, port: 0, apiPort: 0, downloadPort: 0, stateDirectory });
  try {
    const progress = new Progress(cloud, pipeline);
    const meter = new UsageMeter(cloud);
    const usage = {} as Record<Phase, Usage>;
    for (const [phase, send] of [['files', sendFiles], ['jobs', sendJobs]] as const) {
      const started = performance.now();
      await send(cloud);
      await progress.allDone(phase);
      await quiet(cloud);
      usage[phase] = meter.take();
      process.stdout.write(`${pipeline.name}: ${ITEMS} ${phase} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
    meter.stop();
    return { pipeline, usage, largestItemBytes: await largestItemBytes(cloud) };
  } finally {
    await cloud.stop();
    await rm(stateDirectory, { recursive: true, force: true });
  }
}

const perMillion = (usd: number) => (usd / (2 * ITEMS)) * 1e6;

function pipelineCost(run: PipelineRun): PipelineCost {
  const byService = Object.fromEntries(SERVICES.map((service) => [service, perMillion(usageCost(run.usage.files)[service] + usageCost(run.usage.jobs)[service])]));
  const perItem = (requests: Map<string, number>) => Object.fromEntries([...requests].sort().map(([name, count]) => [name, count / ITEMS]));
  const functionsPerItem = Object.fromEntries(
    (['files', 'jobs'] as const).flatMap((phase) =>
      [...run.usage[phase].functions].map(([name, fn]) => [name, { invocations: fn.invocations / ITEMS, gbSeconds: gbSecondsOf(fn) / ITEMS, initShare: fn.initMs / Math.max(1, fn.billedMs), coldStarts: fn.coldStarts, logBytes: fn.logBytes / ITEMS }]),
    ),
  );
  return {
    usdPerMillionItems: Object.values(byService).reduce((sum, usd) => sum + usd, 0),
    usdPerMillionItemsByService: byService,
    requestsPerItem: { files: perItem(run.usage.files.requests), jobs: perItem(run.usage.jobs.requests) },
    functionsPerItem,
  };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

/** The ratio over what is counted, not estimated: every service but Lambda's duration. */
function countedRatio({ tidewatch, naive }: CostBenchmarkResult): number {
  const counted = (cost: PipelineCost) => cost.usdPerMillionItems - cost.usdPerMillionItemsByService['Lambda duration']!;
  return counted(tidewatch) / counted(naive);
}

function report(result: CostBenchmarkResult, runs: readonly PipelineRun[]): string {
  const { tidewatch, naive } = result;
  const usd = (value: number) => `$${value.toFixed(2)}`;
  const services = table([
    ['$ per million items', 'Tidewatch', 'naive'],
    ...SERVICES.map((service) => [service, usd(tidewatch.usdPerMillionItemsByService[service]!), usd(naive.usdPerMillionItemsByService[service]!)]),
    ['total', usd(tidewatch.usdPerMillionItems), usd(naive.usdPerMillionItems)],
  ]);
  const names = [...new Set((['files', 'jobs'] as const).flatMap((phase) => [...Object.keys(tidewatch.requestsPerItem[phase]), ...Object.keys(naive.requestsPerItem[phase])]))].sort();
  const count = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));
  const requests = table([
    ['requests per item', 'Tidewatch file', 'naive file', 'Tidewatch job', 'naive job'],
    ...names.map((name) => [name, count(tidewatch.requestsPerItem.files[name]), count(naive.requestsPerItem.files[name]), count(tidewatch.requestsPerItem.jobs[name]), count(naive.requestsPerItem.jobs[name])]),
  ]);
  const functions = table([
    ['function (per item)', 'invocations', 'GB-s', 'of it init', 'cold starts', 'log bytes'],
    ...[tidewatch, naive].flatMap((cost) =>
      Object.entries(cost.functionsPerItem).map(([name, fn]) => [name, fn.invocations.toFixed(3), fn.gbSeconds.toFixed(5), `${(fn.initShare * 100).toFixed(0)} %`, String(fn.coldStarts), fn.logBytes.toFixed(0)]),
    ),
  ]);
  const items = runs.map((run) => `${run.pipeline.name} ${run.largestItemBytes} B`).join(', ');
  return [
    `${result.files} files and ${result.jobs} jobs through each pipeline; us-east-1 list prices of ${result.pricesAsOf}, no free tier`,
    '',
    services,
    '',
    `Tidewatch / naive: ${result.ratio.toFixed(2)} × (target ≤ 1.5 ×); without Lambda duration (the estimate): ${countedRatio(result).toFixed(2)} ×`,
    '',
    requests,
    '',
    functions,
    '',
    `largest DynamoDB item written (one write unit is 1 KB): ${items}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const runs: PipelineRun[] = [];
  for (const pipeline of [TIDEWATCH, NAIVE]) runs.push(await runPipeline(pipeline));
  const [tidewatch, naive] = runs.map(pipelineCost) as [PipelineCost, PipelineCost];
  const result: CostBenchmarkResult = { ranAt: new Date().toISOString(), files: ITEMS, jobs: ITEMS, pricesAsOf: PRICES_AS_OF, tidewatch, naive, ratio: tidewatch.usdPerMillionItems / naive.usdPerMillionItems };
  process.stdout.write(`\n${report(result, runs)}`);
  if (!values['no-write']) {
    await mkdir(path.dirname(BENCHMARK_RESULT_FILE), { recursive: true });
    await writeFile(BENCHMARK_RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), BENCHMARK_RESULT_FILE)}\n`);
  }
}

await main();
