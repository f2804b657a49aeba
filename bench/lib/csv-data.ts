/**
 * Generates realistic benchmark CSVs: a header and order-like rows with unicode names, quoted fields that
 * hold commas, escaped quotes and line breaks, and CRLF line ends, so the parser does the work real
 * uploads make it do. Deterministic (seeded), written once to `bench/.data/` and reused: the row count
 * is kept beside the file so every run can check the parser counted right.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prng } from './prng';

export interface GeneratedCsv {
  readonly path: string;
  readonly bytes: number;
  /** Data rows (header excluded), i.e. what a correct CSV parser counts. */
  readonly rows: number;
}

const HEADER = 'order_id,customer,email,city,amount,currency,ordered_at,note\r\n';
const CUSTOMERS = ['José Müller', 'Zoë Ødegård', '李雷', 'Ольга Иванова', 'Παναγιώτης Κ.', 'Ana "Nena" Silva', 'Søren Ærø', 'Nguyễn Văn An', 'Amélie Poulain', "O'Brien, Pat"];
const CITIES = ['São Paulo', 'Zürich', 'Kraków', 'Tōkyō', 'Reykjavík', 'New York, NY', 'Montréal', 'İstanbul'];
const CURRENCIES = ['EUR', 'USD', 'JPY', 'BRL', 'CHF'];
const NOTES = [
  '',
  'leave at door',
  'gift wrap, no invoice',
  'call before delivery\r\nbuzzer 4B',
  'customer said "urgent"',
  'fragile ⚠️ handle with care',
  'second line\nthird line, with comma',
];

/** A quoted CSV field when the value needs it (RFC 4180: delimiter, quote or line break inside). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function row(index: number, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const customer = pick(CUSTOMERS);
  const email = `customer${index % 9973}@example.com`;
  const amount = (random() * 10_000).toFixed(2);
  const orderedAt = new Date(Date.UTC(2026, 0, 1) + index * 37_000).toISOString();
  return [index, customer, email, pick(CITIES), amount, pick(CURRENCIES), orderedAt, pick(NOTES)].map((v) => field(String(v))).join(',') + '\r\n';
}

/** Writes about `targetBytes` of CSV to `path` (through a temporary file, so a killed run leaves nothing half-written). */
async function generate(path: string, targetBytes: number): Promise<GeneratedCsv> {
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary, { highWaterMark: 1 << 20 });
  const random = prng(targetBytes);
  let bytes = 0;
  let rows = 0;
  let pending = HEADER;
  while (bytes + Buffer.byteLength(pending) < targetBytes) {
    // Write in ~1 MiB slices: fast, and the write stream's backpressure keeps memory flat.
    while (pending.length < 1 << 20 && bytes + pending.length < targetBytes) pending += row(++rows, random);
    bytes += Buffer.byteLength(pending);
    if (!out.write(pending)) await once(out, 'drain');
    pending = '';
  }
  out.end();
  await once(out, 'finish');
  await rename(temporary, path);
  const generated = { path, bytes, rows };
  await writeFile(`${path}.json`, JSON.stringify({ bytes, rows }));
  return generated;
}

/** The CSV of about `targetBytes` under `dir`, generated on first use and reused afterwards. */
export async function ensureCsv(dir: string, label: string, targetBytes: number): Promise<GeneratedCsv> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `orders-${label}.csv`);
  try {
    const meta = JSON.parse(await readFile(`${path}.json`, 'utf8')) as { bytes: number; rows: number };
    if ((await stat(path)).size === meta.bytes) return { path, ...meta };
  } catch {
    // Not generated yet (or interrupted): generate below.
  }
  return generate(path, targetBytes);
}
