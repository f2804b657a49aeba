import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordCounter } from './csv-records';
import { CsvFormatError } from './errors';

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

/** The counter over `bytes` cut into chunks of the given sizes (in turn), as a network stream would deliver them. */
function counted(bytes: Buffer, chunkSizes: readonly number[]): Outcome {
  const counter = new CsvRecordCounter();
  try {
    for (let offset = 0, index = 0; offset < bytes.length; index += 1) {
      const size = chunkSizes[index % chunkSizes.length]!;
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

/** Whole, byte by byte and in the given chunk sizes, the counter ends as csv-parse does: same count, or the same fault on the same line. */
function expectSameOutcome(csv: string, chunkSizes: readonly number[] = [7]): void {
  const bytes = Buffer.from(csv);
  const expected = reference(bytes);
  for (const sizes of [[bytes.length + 1], [1], chunkSizes]) {
    const actual = counted(bytes, sizes);
    const context = `${JSON.stringify(csv)} in chunks of ${sizes.join(', ')} bytes`;
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

/** Field values as people and programs write them: plain, or quoted holding commas, doubled quotes and line breaks. */
const field = fc.oneof(
  fc.constantFrom('', 'a', 'bc', 'é', '李雷', ' x ', '\r'),
  fc.constantFrom('', 'a,b', 'say ""hi""', 'two\nlines', 'two\r\nlines', '""', ',', 'é"",').map((value) => `"${value}"`),
);

/** A CSV with or without a BOM, LF or CRLF, blank lines, now and then a record of another width, and a few stray edits. */
const plausibleCsv = fc.integer({ min: 1, max: 4 }).chain((width) =>
  fc
    .record({
      records: fc.array(
        fc.oneof(
          { weight: 8, arbitrary: fc.array(field, { minLength: width, maxLength: width }) },
          { weight: 1, arbitrary: fc.array(field, { minLength: 1, maxLength: 4 }) },
          { weight: 1, arbitrary: fc.constant([]) },
        ),
        { minLength: 1, maxLength: 7 },
      ),
      lineEnd: fc.constantFrom('\n', '\r\n'),
      finalLineEnd: fc.boolean(),
      bom: fc.boolean(),
      edits: fc.array(fc.record({ at: fc.nat(), insert: fc.constantFrom('', '"', ',', '\n', '\r', '\r\n', '""') }), { maxLength: 2 }),
    })
    .map(({ records, lineEnd, finalLineEnd, bom, edits }) => {
      let text = (bom ? '\uFEFF' : '') + records.map((fields) => fields.join(',')).join(lineEnd) + (finalLineEnd ? lineEnd : '');
      for (const { at, insert } of edits) {
        const index = at % (text.length + 1);
        // An empty insert deletes the character there instead.
        text = text.slice(0, index) + insert + text.slice(insert === '' ? index + 1 : index);
      }
      return text;
    }),
);

/** Any sequence of the characters that matter to a CSV parser. */
const structuralNoise = fc.array(fc.constantFrom('"', ',', '\n', '\r\n', '\r', 'a', 'é', ' '), { maxLength: 24 }).map((parts) => parts.join(''));

const chunkSizes = fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 6 });

describe('CsvRecordCounter', () => {
  it('counts records as csv-parse does, and fails where and as csv-parse fails, on generated CSVs in any chunking', () => {
    fc.assert(
      fc.property(fc.oneof(plausibleCsv, structuralNoise), chunkSizes, (csv, sizes) => expectSameOutcome(csv, sizes)),
      // A fixed seed: the same cases on every run (fast-check shrinks a failure to its smallest case).
      { seed: 20_260_101, numRuns: 4000 },
    );
  });

  it('agrees with csv-parse on the edge cases by name', () => {
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
      expectSameOutcome(csv);
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
