/**
 * CSV benchmark: the file worker's streaming parse against a raw read of the same stream (the ceiling)
 * and the naive read-everything-then-split way, on generated CSVs of 10 MB, 200 MB and 1 GB. A fourth
 * row, `checks`, does only what the worker must do besides parsing (sha256 and UTF-8 validation of every
 * byte): the best any parser could reach here.
 *
 *   npx tsx bench/csv.ts [--sizes 10MB,200MB,1GB] [--quick] [--repeat 3]
 *
 * Each measurement runs in a fresh child process, so its peak RSS (`process.resourceUsage().maxRSS`) is
 * that method's alone. The methods run in turn, `--repeat` times, and each one's median time is kept: on
 * a shared machine a burst of someone else's work then skews no single method. The streaming method
 * imports `scanCsv` from the worker itself: the figures are the worker's. Targets (issue 2): streaming
 * at least 0.5 × the raw rate; peak RSS under 200 MB at 1 GB. Prints figures only; CI does not run it.
 */
import { spawnSync } from 'node:child_process';
import { constants as bufferConstants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanCsv, Utf8Check } from '../handlers/file-worker/csv-scan';
import { ensureCsv, type GeneratedCsv } from './lib/csv-data';

type Method = 'raw' | 'checks' | 'streaming' | 'naive' | 'idle';

interface Measurement {
  readonly seconds: number;
  readonly bytes: number;
  /** Data rows the method counted (raw counts none). */
  readonly rows?: number;
  readonly peakRssMiB: number;
}

type Outcome = { readonly method: Method; readonly measurement: Measurement } | { readonly method: Method; readonly skipped: string };

const SELF = fileURLToPath(import.meta.url);
const DATA_DIR = join(dirname(SELF), '.data');
const DEFAULT_SIZES = ['10MB', '200MB', '1GB'];
const METHODS: readonly Method[] = ['raw', 'checks', 'streaming', 'naive'];
const DEFAULT_REPEAT = 3;
const TARGET_RATIO = 0.5;
const TARGET_RSS_MIB = 200;
const MB = 1_000_000;

/** One method over one file, in this (child) process. */
async function measure(method: Method, path: string): Promise<Measurement> {
  const started = performance.now();
  let bytes = 0;
  let rows: number | undefined;
  if (method === 'raw') {
    for await (const chunk of createReadStream(path)) bytes += (chunk as Buffer).length;
  } else if (method === 'checks') {
    // The worker's own byte checks, without the CSV scan.
    const hash = createHash('sha256');
    const utf8 = new Utf8Check();
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      utf8.push(chunk, bytes);
      hash.update(chunk);
      bytes += chunk.length;
    }
    utf8.end();
    hash.digest();
  } else if (method === 'streaming') {
    const scan = await scanCsv(createReadStream(path));
    bytes = scan.bytes;
    rows = scan.rowCount;
  } else if (method === 'naive') {
    const text = await readFile(path, 'utf8');
    bytes = Buffer.byteLength(text);
    // What a hand-rolled reader does: one row per non-blank line, minus the header (wrong for quoted line breaks).
    rows = text.split('\n').filter((line) => line.trim() !== '').length - 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes, ...(rows !== undefined ? { rows } : {}), peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** Runs `method` over `path` in a fresh Node process (with tsx, as the worker's TypeScript is imported). */
function measureInChild(method: Method, path: string): Measurement {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', method, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(`${method} child failed (exit ${child.status ?? child.signal}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return JSON.parse(line) as Measurement;
}

/** Why the naive way cannot run on this file, if it cannot. */
function naiveSkipReason(csv: GeneratedCsv): string | undefined {
  const limit = bufferConstants.MAX_STRING_LENGTH;
  if (csv.bytes <= limit) return undefined;
  return `skipped: ${format(csv.bytes / MB, 0)} MB of text is over V8's longest string (${format(limit / 2 ** 20, 0)} Mi characters), so it cannot even be read into one string`;
}

function parseSize(label: string): number {
  const match = /^(\d+(?:\.\d+)?)(KB|MB|GB)$/i.exec(label.trim());
  if (!match) throw new Error(`size ${JSON.stringify(label)} is not like 10MB or 1GB`);
  const unit = { KB: 1e3, MB: 1e6, GB: 1e9 }[match[2]!.toUpperCase() as 'KB' | 'MB' | 'GB'];
  return Math.round(Number(match[1]) * unit);
}

/** Each method `repeat` times, in turn; per method the run of median time, with the highest peak RSS of all its runs. */
function measureRepeatedly(methods: readonly Method[], path: string, repeat: number): Map<Method, Measurement> {
  const runs = new Map<Method, Measurement[]>(methods.map((method) => [method, []]));
  for (let round = 0; round < repeat; round += 1) {
    for (const method of methods) runs.get(method)!.push(measureInChild(method, path));
  }
  return new Map(
    [...runs].map(([method, measurements]) => {
      const median = [...measurements].sort((a, b) => a.seconds - b.seconds)[Math.floor((measurements.length - 1) / 2)]!;
      return [method, { ...median, peakRssMiB: Math.max(...measurements.map((run) => run.peakRssMiB)) }];
    }),
  );
}

function repeatFromArgs(args: readonly string[]): number {
  const index = args.indexOf('--repeat');
  if (index === -1) return DEFAULT_REPEAT;
  const repeat = Number(args[index + 1]);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat needs a whole number of runs, e.g. --repeat 3');
  return repeat;
}

function sizesFromArgs(args: readonly string[]): string[] {
  if (args.includes('--quick')) return ['10MB'];
  const index = args.indexOf('--sizes');
  if (index === -1) return DEFAULT_SIZES;
  const value = args[index + 1];
  if (value === undefined) throw new Error('--sizes needs a value, e.g. --sizes 10MB,200MB');
  return value.split(',').map((size) => size.trim().toUpperCase());
}

function format(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Reads the file once, unmeasured, so the first measured method does not pay for a cold page cache. */
async function warmPageCache(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) void chunk;
}

function printTable(rows: ReadonlyArray<readonly string[]>): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    // Text columns (size, method, rows counted) left-aligned, figures right-aligned.
    const align = (cell: string, column: number) => (column < 2 || column === row.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!));
    console.log(row.map(align).join('  ').trimEnd());
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

async function main(args: readonly string[]): Promise<void> {
  const sizes = sizesFromArgs(args);
  const repeat = repeatFromArgs(args);
  const baseline = measureInChild('idle', SELF);
  console.log(
    `CSV benchmark: ${sizes.join(', ')}; node ${process.version}; each method in a fresh process (node + tsx alone peaks at ${format(baseline.peakRssMiB, 0)} MB RSS), ${repeat} run${repeat === 1 ? '' : 's'} each, median kept`,
  );

  const header = ['size', 'method', 'seconds', 'MB/s', 'rows/s', 'vs raw', 'peak RSS MB', 'rows counted'];
  const table: string[][] = [header];
  const verdicts: string[] = [];
  for (const label of sizes) {
    const started = performance.now();
    const csv = await ensureCsv(DATA_DIR, label, parseSize(label));
    console.log(`${label}: ${csv.path} (${format(csv.bytes / MB, 1)} MB, ${format(csv.rows, 0)} data rows; ready in ${format((performance.now() - started) / 1000, 1)} s)`);
    await warmPageCache(csv.path);

    const skipped = new Map(METHODS.map((method) => [method, method === 'naive' ? naiveSkipReason(csv) : undefined]));
    const measured = measureRepeatedly(
      METHODS.filter((method) => skipped.get(method) === undefined),
      csv.path,
      repeat,
    );
    const outcomes: Outcome[] = METHODS.map((method) => {
      const reason = skipped.get(method);
      return reason ? { method, skipped: reason } : { method, measurement: measured.get(method)! };
    });
    const raw = outcomes.find((outcome) => outcome.method === 'raw' && 'measurement' in outcome);
    const rawRate = raw && 'measurement' in raw ? raw.measurement.bytes / raw.measurement.seconds : undefined;

    for (const outcome of outcomes) {
      if ('skipped' in outcome) {
        table.push([label, outcome.method, '-', '-', '-', '-', '-', outcome.skipped]);
        continue;
      }
      const { seconds, bytes, rows, peakRssMiB } = outcome.measurement;
      const rate = bytes / seconds;
      const counted = rows === undefined ? '-' : `${format(rows, 0)}${rows === csv.rows ? ' (right)' : ` (wrong: ${format(csv.rows, 0)})`}`;
      table.push([
        label,
        outcome.method,
        format(seconds, 2),
        format(rate / MB, 1),
        rows === undefined ? '-' : format(rows / seconds, 0),
        rawRate ? `${format(rate / rawRate, 3)}x` : '-',
        format(peakRssMiB, 0),
        counted,
      ]);
      if (outcome.method === 'streaming' && rawRate) {
        const ratio = rate / rawRate;
        verdicts.push(`${label}: streaming at ${format(ratio, 3)} x the raw rate (target >= ${TARGET_RATIO}): ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`);
        if (csv.bytes >= 1e9) {
          verdicts.push(`${label}: streaming peak RSS ${format(peakRssMiB, 0)} MB (target < ${TARGET_RSS_MIB} MB): ${peakRssMiB < TARGET_RSS_MIB ? 'met' : 'MISSED'}`);
        }
      }
    }
  }
  console.log('');
  printTable(table);
  console.log('');
  for (const verdict of verdicts) console.log(verdict);
  console.log('MB = 10^6 bytes for sizes and rates; RSS in MiB. Raw, checks and streaming read the same fs stream (64 KiB chunks, about what an S3 socket delivers).');
  console.log('checks = the sha256 and UTF-8 checks the worker does besides parsing, alone: the most any parser could reach.');
}

if (process.argv[2] === '--child') {
  const [method, path] = process.argv.slice(3) as [Method, string];
  console.log(JSON.stringify(method === 'idle' ? { seconds: 0, bytes: 0, peakRssMiB: process.resourceUsage().maxRSS / 1024 } : await measure(method, path)));
} else {
  await main(process.argv.slice(2));
}
