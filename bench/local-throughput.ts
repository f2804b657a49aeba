/**
 * Local cloud throughput (issue 3): small CSV files and jobs end to end through the local cloud, with
 * Tidewatch's batch settings against the seed's way, in the same run, each on a fresh cloud.
 *
 *   npx tsx bench/local-throughput.ts [--files 2000] [--jobs 10000] [--scale 1] [--concurrency 32] [--seed-concurrency 1]
 *     [--modes tidewatch,seed] [--cpu-prof-dir DIR]
 *
 * Files: S3 PutObject under `uploads/<uuid>/x.csv` straight to the local endpoint; jobs: POST /jobs on the
 * local HTTP API; both with at most `--concurrency` requests in flight. A phase ends when the workers'
 * EMF output has counted every item (FilesProcessed, JobsSucceeded); the status table is checked after.
 * `--scale 0.1` runs both loads at a tenth, for a quick look.
 *
 * The seed's way (seeds 000/002: "Batch size: 1"; issue 3: "batch size 1, one message at a time") is the
 * same stack with `files` and `jobs` at batch size 1 and no batching window, run one message at a time:
 * one poller per queue. Config (like AWS) accepts a maximum concurrency of 2 at the least, so the seed's
 * cloud is synthesized with 2 and its event source mappings' `ScalingConfig.MaximumConcurrency` is then
 * set to 1 in the template the local cloud runs (the local runtime runs at most that many pollers).
 * `--seed-concurrency 2` keeps AWS's minimum instead.
 * `--cpu-prof-dir DIR` writes V8 CPU profiles under `DIR/<mode>/`: the main thread's (`main.cpuprofile`) and one
 * per execution environment (each function thread's, as it ends); `--modes` runs only the modes named.
 * Target: Tidewatch ≥ 5 × the seed's way.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { parseEmfLine } from '../local/cloudwatch/emf';
import type { SynthesizedStack } from '../local/template/model';
import { synthesizeTemplate } from '../local/template/synthesize';
import { runBounded } from './lib/run-bounded';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    jobs: { type: 'string', default: '10000' },
    scale: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '32' },
    'seed-concurrency': { type: 'string', default: '1' },
    modes: { type: 'string', default: 'tidewatch,seed' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const scale = Number(values.scale);
const FILES = Math.max(1, Math.round(Number(values.files) * scale));
const JOBS = Math.max(1, Math.round(Number(values.jobs) * scale));
const CONCURRENCY = Number(values.concurrency);
/** Longest a phase may take before the run is declared stuck. */
const PHASE_DEADLINE_MS = 15 * 60_000;
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const CPU_PROFILE_DIRECTORY = values['cpu-prof-dir'] === undefined ? undefined : path.resolve(values['cpu-prof-dir']);

const SEED_CONCURRENCY = Number(values['seed-concurrency']);
const SEED_QUEUE = { batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: Math.max(2, SEED_CONCURRENCY) };

interface Mode {
  readonly name: string;
  readonly description: string;
  readonly context: Record<string, unknown>;
  readonly patch?: (stack: SynthesizedStack) => SynthesizedStack;
}

const MODES: readonly Mode[] = [
  { name: 'tidewatch', description: 'batch 10, window 1 s, concurrency 10 (the defaults)', context: {} },
  {
    name: 'seed',
    description: `batch 1, no window, ${SEED_CONCURRENCY === 1 ? 'one message at a time' : `concurrency ${SEED_CONCURRENCY}`}`,
    context: { tidewatch: { workQueues: { files: SEED_QUEUE, jobs: SEED_QUEUE } } },
    patch: SEED_CONCURRENCY < 2 ? (stack) => withPollers(stack, SEED_CONCURRENCY) : undefined,
  },
];

/** Sets every SQS event source mapping's maximum concurrency (the local runtime's poller count) in the template. */
function withPollers(stack: SynthesizedStack, pollers: number): SynthesizedStack {
  const resources = Object.fromEntries(
    Object.entries(stack.template.Resources).map(([logicalId, resource]) =>
      resource.Type === 'AWS::Lambda::EventSourceMapping'
        ? [logicalId, { ...resource, Properties: { ...resource.Properties, ScalingConfig: { MaximumConcurrency: pollers } } }]
        : [logicalId, resource],
    ),
  );
  return { ...stack, template: { ...stack.template, Resources: resources } };
}

interface PhaseResult {
  readonly phase: 'files' | 'jobs';
  readonly mode: string;
  readonly items: number;
  /** Until the last request was answered. */
  readonly ingestSeconds: number;
  /** Until the last item was done. */
  readonly seconds: number;
  /** CPU time of this process (every thread: emulators, gateway, runtime, functions) over the phase. */
  readonly cpuSeconds: number;
  /** CPU time of the main thread alone (gateway, emulators, pollers, CloudWatch, the load generator). */
  readonly mainThreadCpuSeconds: number;
  /** Function invocations over the phase (every function): fewer per item is what batching buys. */
  readonly invocations: number;
}

interface StartResult {
  readonly mode: string;
  readonly synthSeconds: number;
  readonly startSeconds: number;
}

/** Sums of the Tidewatch metrics the functions emitted so far (their EMF lines), by metric name. */
class MetricTally {
  private readonly sums = new Map<string, number>();

  constructor(cloud: LocalCloud) {
    cloud.runtime.onLine((_functionName, line) => {
      for (const { metric, datapoint } of parseEmfLine(line)) {
        const total = (datapoint.values ?? []).reduce((sum, value, index) => sum + value * (datapoint.counts?.[index] ?? 1), 0);
        this.sums.set(metric.metricName, (this.sums.get(metric.metricName) ?? 0) + total);
      }
    });
  }

  get(name: string): number {
    return this.sums.get(name) ?? 0;
  }
}

/** CPU and invocations counted from the start of a phase. */
class PhaseMeter {
  private readonly cpu = process.cpuUsage();
  private readonly mainThreadCpu = process.threadCpuUsage();
  private readonly startInvocations: number;

  constructor(private readonly invocations: InvocationCount) {
    this.startInvocations = invocations.total;
  }

  read(): Pick<PhaseResult, 'cpuSeconds' | 'mainThreadCpuSeconds' | 'invocations'> {
    const seconds = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1e6;
    return { cpuSeconds: seconds(process.cpuUsage(this.cpu)), mainThreadCpuSeconds: seconds(process.threadCpuUsage(this.mainThreadCpu)), invocations: this.invocations.total - this.startInvocations };
  }
}

/** Every invocation of the cloud's functions so far. */
class InvocationCount {
  total = 0;
  constructor(cloud: LocalCloud) {
    cloud.runtime.onInvocation(() => (this.total += 1));
  }
}

/** How long the workers' count may stand still before the status table is asked whether every item is done. */
const STALL_MS = 10_000;

/**
 * Waits until the workers have counted `items` (`counted()`, checked every 50 ms); fails on `failed()` or past
 * the deadline. A count that stands still is checked against the status table (`allDone()`): an invocation that
 * timed out after its items were done emitted no metric, and their redelivery is a replay, which counts nothing.
 */
async function until(counted: () => number, items: number, allDone: () => Promise<boolean>, failed: () => string | undefined, what: string): Promise<void> {
  const deadline = Date.now() + PHASE_DEADLINE_MS;
  let lastCount = counted();
  let lastChange = Date.now();
  while (counted() < items) {
    const failure = failed();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${PHASE_DEADLINE_MS / 1000} s`);
    if (counted() !== lastCount) [lastCount, lastChange] = [counted(), Date.now()];
    else if (Date.now() - lastChange > STALL_MS) {
      if (await allDone()) return;
      lastChange = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function filesPhase(cloud: LocalCloud, tally: MetricTally, invocations: InvocationCount, mode: string): Promise<PhaseResult> {
  const s3 = new S3Client({ endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS, forcePathStyle: true });
  const bucket = cloud.outputs.BucketName;
  const started = performance.now();
  const meter = new PhaseMeter(invocations);
  // Each file's content is unique: identical content would be recorded DUPLICATE, not processed.
  await runBounded(FILES, CONCURRENCY, async () => {
    const id = randomUUID();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `uploads/${id}/x.csv`, Body: `id,name,amount\n${id},"Doe, Jane",12.5\n2,Bob,7\n`, ContentType: 'text/csv' }));
  });
  const ingested = performance.now();
  await until(
    () => tally.get('FilesProcessed'),
    FILES,
    async () => ((await statusCounts(cloud)).get('file:PROCESSED') ?? 0) >= FILES,
    () => (tally.get('FilesRejected') + tally.get('DeadLettered') > 0 ? `${tally.get('FilesRejected')} rejected, ${tally.get('DeadLettered')} dead-lettered` : undefined),
    `${mode} files`,
  );
  s3.destroy();
  return { phase: 'files', mode, items: FILES, ingestSeconds: (ingested - started) / 1000, seconds: (performance.now() - started) / 1000, ...meter.read() };
}

async function jobsPhase(cloud: LocalCloud, tally: MetricTally, invocations: InvocationCount, mode: string): Promise<PhaseResult> {
  const url = `${cloud.endpoints.api}jobs`;
  const started = performance.now();
  const meter = new PhaseMeter(invocations);
  await runBounded(JOBS, CONCURRENCY, async (index) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'sum', payload: { numbers: [index, 1, 2] } }) });
    if (response.status !== 202) throw new Error(`POST /jobs answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  });
  const ingested = performance.now();
  await until(
    () => tally.get('JobsSucceeded'),
    JOBS,
    async () => ((await statusCounts(cloud)).get('job:PROCESSED') ?? 0) >= JOBS,
    () => (tally.get('JobsFailed') > 0 ? `${tally.get('JobsFailed')} jobs failed` : undefined),
    `${mode} jobs`,
  );
  return { phase: 'jobs', mode, items: JOBS, ingestSeconds: (ingested - started) / 1000, seconds: (performance.now() - started) / 1000, ...meter.read() };
}

/** Status items by kind and status (`job:PROCESSED`), from one scan. */
async function statusCounts(cloud: LocalCloud): Promise<Map<string, number>> {
  const dynamodb = new DynamoDBClient({ endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS });
  const counts = new Map<string, number>();
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: cloud.outputs.StatusTableName, ProjectionExpression: 'kind, #s', ExpressionAttributeNames: { '#s': 'status' }, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const key = `${item.kind?.S}:${item.status?.S}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  dynamodb.destroy();
  return counts;
}

/** Every item must be PROCESSED after the run. */
async function checkStatusTable(cloud: LocalCloud): Promise<string> {
  const counts = await statusCounts(cloud);
  const expected = `file:PROCESSED=${FILES} job:PROCESSED=${JOBS}`;
  const actual = [...counts].filter(([key]) => !key.startsWith('content:')).sort().map(([key, count]) => `${key}=${count}`).join(' ');
  if (actual !== expected) throw new Error(`status table: expected ${expected}, found ${actual}`);
  return actual;
}

interface PreparedMode {
  readonly mode: Mode;
  readonly template: SynthesizedStack;
  readonly synthSeconds: number;
}

/**
 * Synthesizes a mode's template. Every mode is synthesized before any cloud runs: an in-process synthesis
 * leaves the rest of the process slower (it loads the X-Ray SDK, whose async hook then tracks every
 * promise), so it must not fall between the runs being compared.
 */
async function prepare(mode: Mode): Promise<PreparedMode> {
  const started = performance.now();
  const synthesized = await synthesizeTemplate({ context: mode.context });
  return { mode, template: mode.patch ? mode.patch(synthesized) : synthesized, synthSeconds: (performance.now() - started) / 1000 };
}

/** Profiles the main thread from here until the returned function writes the profile to `directory/main.cpuprofile`. */
async function profileMainThread(directory: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(path.join(directory, 'main.cpuprofile'), JSON.stringify(profile));
  };
}

async function runMode({ mode, template, synthSeconds }: PreparedMode): Promise<{ start: StartResult; phases: PhaseResult[] }> {
  const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-bench-'));
  const profileDirectory = CPU_PROFILE_DIRECTORY && path.join(CPU_PROFILE_DIRECTORY, mode.name);
  if (profileDirectory) await mkdir(profileDirectory, { recursive: true });
  const stopProfiling = profileDirectory ? await profileMainThread(profileDirectory) : undefined;
  const startStarted = performance.now();
  const cloud = await startLocalCloud({ template, port: 0, apiPort: 0, downloadPort: 0, stateDirectory, functionCpuProfileDirectory: profileDirectory });
  const startSeconds = (performance.now() - startStarted) / 1000;
  process.stdout.write(`${mode.name} (${mode.description}): ready in ${(synthSeconds + startSeconds).toFixed(1)} s\n`);
  try {
    const tally = new MetricTally(cloud);
    const invocations = new InvocationCount(cloud);
    const files = await filesPhase(cloud, tally, invocations, mode.name);
    process.stdout.write(`  files: ${describe(files)}\n`);
    const jobs = await jobsPhase(cloud, tally, invocations, mode.name);
    process.stdout.write(`  jobs:  ${describe(jobs)}\n`);
    process.stdout.write(`  status table: ${await checkStatusTable(cloud)}\n`);
    return { start: { mode: mode.name, synthSeconds, startSeconds }, phases: [files, jobs] };
  } finally {
    await cloud.stop();
    await stopProfiling?.();
    await rm(stateDirectory, { recursive: true, force: true });
  }
}

function describe(result: PhaseResult): string {
  return `${result.items} in ${result.seconds.toFixed(1)} s (${(result.items / result.seconds).toFixed(1)}/s; requests answered in ${result.ingestSeconds.toFixed(1)} s; ${result.cpuSeconds.toFixed(1)} CPU s)`;
}

/** Text columns (the `textColumns`) aligned left, figures right. */
function table(rows: readonly (readonly string[])[], textColumns: readonly number[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const cell = (text: string, column: number) => (textColumns.includes(column) ? text.padEnd(widths[column]) : text.padStart(widths[column]));
  return rows.map((row) => row.map(cell).join('  ')).join('\n');
}

async function main(): Promise<void> {
  process.stdout.write(`Local cloud throughput: ${FILES} files, ${JOBS} jobs, ${CONCURRENCY} requests in flight\n\n`);
  const runs = [];
  const prepared = [];
  const modes = values.modes.split(',');
  for (const mode of MODES.filter(({ name }) => modes.includes(name))) prepared.push(await prepare(mode));
  for (const mode of prepared) runs.push(await runMode(mode));
  const phases = runs.flatMap((run) => run.phases);
  const seedRate = (phase: string) => {
    const seed = phases.find((result) => result.phase === phase && result.mode === 'seed');
    return seed ? seed.items / seed.seconds : Number.NaN;
  };
  const rows = [['phase', 'items', 'mode', 'seconds', 'items/s', 'ratio', 'CPU ms/item', 'main thread', 'invocations']];
  for (const phase of ['files', 'jobs'] as const) {
    for (const result of phases.filter((candidate) => candidate.phase === phase)) {
      const rate = result.items / result.seconds;
      rows.push([phase, String(result.items), result.mode, result.seconds.toFixed(1), rate.toFixed(1), `${(rate / seedRate(phase)).toFixed(2)}×`, ((result.cpuSeconds * 1000) / result.items).toFixed(1), ((result.mainThreadCpuSeconds * 1000) / result.items).toFixed(1), String(result.invocations)]);
    }
  }
  // CPU per item says how much work each way costs, whatever else the machine runs meanwhile.
  process.stdout.write(`\n${table(rows, [0, 2])}\n(CPU: this process, every thread; the load generator included; main thread: its part of it, in ms/item; invocations: every function's, the API's included)\n\nStart to ready (synthesis + start of the local cloud):\n`);
  const startRows = [['mode', 'synth s', 'start s', 'ready s']];
  for (const { start } of runs) startRows.push([start.mode, start.synthSeconds.toFixed(1), start.startSeconds.toFixed(1), (start.synthSeconds + start.startSeconds).toFixed(1)]);
  process.stdout.write(`${table(startRows, [0])}\n(synthesis is skipped when the template cache under .tidewatch/ matches)\n`);
  process.stdout.write(`Load average at the end: ${loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench/local-throughput: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
