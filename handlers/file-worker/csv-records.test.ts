import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecordCounter } from './csv-records';
import { CsvFormatError } from './errors';

/** Small deterministic PRNG (mulberry32): the same cases on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Outcome = { records: number } | { error: string; line?: number };

/** What csv-parse, the reference, makes of `bytes` with the grammar the counter implements. */
function reference(bytes: Buffer): Outcome {
  try {
    return { records: parse(bytes, { bom: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }).length };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { error: error.code, line: (error as CsvError & { lines?: number }).lines };
  }
}

/** The error codes of csv-parse and the wording of the counter's messages for the same fault. */
const SAME_FAULT: Record<string, RegExp> = {
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: /the record on lines? (?:\d+-)?(\d+) has \d+ fields?, the header has \d+$/,
  INVALID_OPENING_QUOTE: /a quote inside an unquoted field on line (\d+)/,
  CSV_INVALID_CLOSING_QUOTE: /the closing quote on line (\d+) is followed by/,
  CSV_QUOTE_NOT_CLOSED: /the quote opened on line \d+ is never closed$/,
};

/** The counter over `bytes` cut into chunks of random sizes, as a network stream would deliver them. */
function counted(bytes: Buffer, random: () => number, maxChunk: number): Outcome {
  const counter = new CsvRecordCounter();
  try {
    for (let offset = 0; offset < bytes.length; ) {
      const size = 1 + Math.floor(random() * maxChunk);
      counter.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    counter.end();
    return { records: counter.records };
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    return { error: error.message };
  }
}

function expectSameOutcome(bytes: Buffer, random: () => number): void {
  const expected = reference(bytes);
  for (const maxChunk of [1, 7, 64, bytes.length + 1]) {
    const actual = counted(bytes, random, maxChunk);
    const context = `${JSON.stringify(bytes.toString('utf8'))} in chunks of up to ${maxChunk}`;
    if ('records' in expected) {
      expect(actual, context).toEqual(expected);
      continue;
    }
    expect(actual, context).toHaveProperty('error');
    const message = (actual as { error: string }).error;
    const pattern = SAME_FAULT[expected.error];
    expect(pattern, `csv-parse error ${expected.error} for ${context}`).toBeDefined();
    const match = pattern!.exec(message);
    expect(match, `${message} for ${context} (csv-parse: ${expected.error})`).not.toBeNull();
    // csv-parse counts a CR as a line too; without CRs the line numbers must agree.
    if (match?.[1] !== undefined && !bytes.includes(0x0d)) expect(Number(match[1]), `line for ${context}`).toBe(expected.line);
  }
}

/** A CSV as people and programs write them: quoted fields, doubled quotes, line breaks in quotes, CRLF, BOM, blank lines. */
function plausibleCsv(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const columns = 1 + Math.floor(random() * 4);
  const lineEnd = pick(['\n', '\r\n']);
  const field = (): string =>
    pick([
      () => '',
      () => pick(['a', 'bc', 'é', '李雷', ' x ', '\r']),
      () => `"${pick(['', 'a,b', 'say ""hi""', 'two\nlines', 'two\r\nlines', '""', ',', 'é"",'])}"`,
    ])();
  const rows: string[] = [];
  for (let row = Math.floor(random() * 6); row >= 0; row -= 1) {
    if (random() < 0.1) rows.push('');
    // Now and then a record with a different field count.
    const width = random() < 0.1 ? 1 + Math.floor(random() * 4) : columns;
    rows.push(Array.from({ length: width }, field).join(','));
  }
  let text = rows.join(lineEnd) + (random() < 0.7 ? lineEnd : '');
  if (random() < 0.3) text = `\uFEFF${text}`;
  // A few random edits: stray quotes, commas, line breaks, deletions.
  for (let edits = random() < 0.5 ? 0 : 1 + Math.floor(random() * 2); edits > 0; edits -= 1) {
    const at = Math.floor(random() * (text.length + 1));
    text = random() < 0.25 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + pick(['"', ',', '\n', '\r', '\r\n', '""']) + text.slice(at);
  }
  return text;
}

/** Any sequence of the characters that matter to a CSV parser. */
function structuralNoise(random: () => number): string {
  const alphabet = ['"', '"', ',', ',', '\n', '\r\n', '\r', 'a', 'é', ' '];
  return Array.from({ length: Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

describe('CsvRecordCounter', () => {
  it('counts records as csv-parse does, and fails where and as csv-parse fails, on generated CSVs in any chunking', () => {
    const random = prng(20_260_101);
    for (let index = 0; index < 3000; index += 1) expectSameOutcome(Buffer.from(plausibleCsv(random)), random);
    for (let index = 0; index < 3000; index += 1) expectSameOutcome(Buffer.from(structuralNoise(random)), random);
  });

  it('agrees with csv-parse on the edge cases by name', () => {
    const random = prng(1);
    for (const csv of [
      '',
      '\uFEFF',
      '\uFEFF"a",b\n1,2\n',
      'a\n""\n',
      'a,b\n1,2\r\n\r\n3,4',
      'a,b\n"1\n\n2",3\n',
      'a,b\n"x"y,2\n',
      'a,b\nx"y",2\n',
      'a,b\n"open,2\n',
      'a,b\n"x"\r,2\n',
      'a,b\r1,2\r',
      'a\n"x"""\n""""\n',
    ]) {
      expectSameOutcome(Buffer.from(csv), random);
    }
  });

  it('names the lines of a multi-line record with the wrong field count', () => {
    const counter = new CsvRecordCounter();
    expect(() => {
      counter.push(Buffer.from('id,note\n1,"a\nb\nc",extra\n'));
      counter.end();
    }).toThrow(new CsvFormatError('malformed CSV: the record on lines 2-4 has 3 fields, the header has 2'));
  });

  it('refuses a record over the size limit as soon as it is too long, even before its line ends', () => {
    const counter = new CsvRecordCounter({ maxRecordBytes: 10 });
    counter.push(Buffer.from('a,b\n1,"0123456'));
    expect(() => counter.push(Buffer.from('789'))).toThrow(new CsvFormatError('malformed CSV: the record starting on line 2 is longer than 10 bytes'));
  });

  it('accepts a record of exactly the size limit, its CRLF not counted', () => {
    const counter = new CsvRecordCounter({ maxRecordBytes: 3 });
    for (const byte of Buffer.from('a,b\r\n1,2\r\n')) counter.push(Buffer.from([byte]));
    counter.end();
    expect(counter.records).toBe(2);
  });
});
