import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../shared/errors';
import { MAX_RECORD_BYTES, scanCsv } from './csv-scan';
import { CsvFormatError, EmptyFileError, FileTooLargeError, IncompleteDownloadError, NotCsvError } from './errors';

/** The bytes as a stream of `chunkSize`-byte chunks, to cross every chunk boundary a network read could make. */
function stream(content: string | Buffer, chunkSize = 64 * 1024): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

describe('scanCsv', () => {
  it('counts data rows, not the header', async () => {
    const csv = 'id,name\n1,Ada\n2,Grace\n3,Linus\n';
    await expect(scanCsv(stream(csv))).resolves.toEqual({ bytes: csv.length, rowCount: 3, contentHash: sha256(csv) });
  });

  it('parses quoted commas, quoted line breaks, escaped quotes, a BOM and CRLF as a CSV parser must', async () => {
    const csv = '\uFEFFid,customer,note\r\n1,"Müller, José","line one\r\nline two"\r\n2,"Ana ""Nena"" Silva",plain\r\n3,李雷,"a,b\nc"\r\n';
    const scan = await scanCsv(stream(csv));
    expect(scan.rowCount).toBe(3);
    // The hash covers the exact bytes, BOM included.
    expect(scan.contentHash).toBe(sha256(csv));
    expect(scan.bytes).toBe(Buffer.byteLength(csv));
  });

  it('gives the same result whatever the chunking (multi-byte characters split across chunks)', async () => {
    const csv = 'name,city\n"Zoë, Ødegård",Tōkyō\n"Ольга\nИванова",Zürich\n';
    const whole = await scanCsv(stream(csv));
    await expect(scanCsv(stream(csv, 1))).resolves.toEqual(whole);
    await expect(scanCsv(stream(csv, 3))).resolves.toEqual(whole);
    expect(whole.rowCount).toBe(2);
  });

  it('accepts a last row without a line break, and ignores blank lines', async () => {
    await expect(scanCsv(stream('a,b\n1,2\n\n3,4\n\n'))).resolves.toMatchObject({ rowCount: 2 });
    await expect(scanCsv(stream('a,b\r\n1,2'))).resolves.toMatchObject({ rowCount: 1 });
  });

  it('accepts a header-only file as zero rows', async () => {
    await expect(scanCsv(stream('id,name\n'))).resolves.toMatchObject({ rowCount: 0 });
  });

  it('rejects a row with the wrong column count as a CsvFormatError naming the line', async () => {
    const error = await scanCsv(stream('id,name\n1,Ada\n2\n3,Linus\n')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe('malformed CSV: the record on line 3 has 1 field, the header has 2');
  });

  it('rejects an unclosed quote, naming the line it opens on', async () => {
    await expect(scanCsv(stream('id,note\n1,"never closed\n2,x\n'))).rejects.toThrow(new CsvFormatError('malformed CSV: the quote opened on line 2 is never closed'));
  });

  it('rejects stray quotes in unquoted fields and text after a closing quote', async () => {
    await expect(scanCsv(stream('id,note\n1,5" screen\n'))).rejects.toThrow(/^malformed CSV: a quote inside an unquoted field on line 2/);
    await expect(scanCsv(stream('id,note\n1,"a"b\n'))).rejects.toThrow('malformed CSV: the closing quote on line 2 is followed by "b", not by a comma or a line end');
  });

  it('rejects a record longer than the record limit, an unclosed quote as soon as it runs past it', async () => {
    const csv = `id,note\n1,"${'x'.repeat(MAX_RECORD_BYTES + 10)}"\n`;
    await expect(scanCsv(stream(csv))).rejects.toThrow(new CsvFormatError(`malformed CSV: the record starting on line 2 is longer than ${MAX_RECORD_BYTES} bytes`));
    // The quote opened on line 2 swallows the rest: refused after the first MiB, not at the end of the file.
    let read = 0;
    const endless = Readable.from((function* () {
      yield Buffer.from('id,note\n1,"');
      for (;;) {
        read += 64 * 1024;
        yield Buffer.alloc(64 * 1024, 'x,\n');
      }
    })());
    await expect(scanCsv(endless)).rejects.toThrow(/record starting on line 2 is longer than/);
    expect(read).toBeLessThan(2 * MAX_RECORD_BYTES);
  });

  it('rejects binary content (a NUL byte early on) as not CSV', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    await expect(scanCsv(stream(png))).rejects.toThrow(new NotCsvError('file looks binary (NUL byte in its first 8 KiB), not CSV text'));
  });

  it('rejects invalid UTF-8, also when the bad byte comes late or a file ends mid-character', async () => {
    const late = Buffer.concat([Buffer.from(`a,b\n${'1,2\n'.repeat(5000)}`), Buffer.from([0xc3, 0x28, 0x0a])]);
    await expect(scanCsv(stream(late, 1024))).rejects.toThrow(/^file is not UTF-8 text \(invalid byte sequence between bytes 19456 and 20007\)$/);
    await expect(scanCsv(stream(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xe2, 0x82])))).rejects.toThrow(NotCsvError);
  });

  it('rejects an empty file and a file of blank lines', async () => {
    await expect(scanCsv(stream(''))).rejects.toThrow(new EmptyFileError('file is empty (0 bytes)'));
    await expect(scanCsv(stream('\r\n\r\n\r\n'))).rejects.toThrow(new EmptyFileError('file has no header row (only blank lines)'));
  });

  it('stops at the size limit', async () => {
    await expect(scanCsv(stream('a,b\n1,2\n3,4\n'), { maxBytes: 8 })).rejects.toThrow(FileTooLargeError);
    await expect(scanCsv(stream('a,b\n1,2\n'), { maxBytes: 8 })).resolves.toMatchObject({ rowCount: 1 });
  });

  it('reports a stream shorter than announced as an incomplete download, a transient error, before judging the CSV', async () => {
    // Cut inside a quoted field: without the length check this would look like an unclosed quote (permanent).
    const error = await scanCsv(stream('a,b\n1,"cut'), { expectedBytes: 40 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IncompleteDownloadError);
    expect(error).not.toBeInstanceOf(PermanentError);
  });

  it('passes on an error of the source stream (a network fault) as it is', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      },
    });
    await expect(scanCsv(failing)).rejects.toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
  });
});
