/**
 * One streaming pass over a CSV byte stream: checks it is CSV text, parses it with csv-parse (quoted
 * commas and line breaks, BOM, CRLF), counts its data rows and hashes its bytes, never holding more than
 * a chunk and one record in memory. The file worker runs it on the S3 GetObject body; `bench/csv.ts`
 * runs the same function on local files.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { CsvFormatError, EmptyFileError, FileTooLargeError, IncompleteDownloadError, NotCsvError } from './errors';

export interface CsvScan {
  /** Bytes read, BOM included. */
  readonly bytes: number;
  /** Data rows: records after the header row (blank lines are not rows). */
  readonly rowCount: number;
  /** sha256 of the bytes, hex. */
  readonly contentHash: string;
}

export interface CsvScanOptions {
  /** Stop with FileTooLargeError past this many bytes. @default no limit */
  readonly maxBytes?: number;
  /** Length the source announced (S3 ContentLength): a shorter stream is an IncompleteDownloadError. @default not checked */
  readonly expectedBytes?: number;
}

/** Binary sniffing window: a NUL byte this early means binary content (the heuristic git and grep use). */
const BINARY_SNIFF_BYTES = 8192;

/**
 * Longest record accepted, in characters. Bounds memory on input such as an unclosed quote, which would
 * otherwise make the parser gather the rest of the file into one field.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/** Hashes, counts, size-limits and text-checks the bytes on their way to the parser. */
class ByteInspector extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  // fatal + stream: rejects invalid UTF-8 while accepting characters split across chunk boundaries.
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly options: CsvScanOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const start = this.bytes;
    this.bytes += chunk.length;
    if (this.options.maxBytes !== undefined && this.bytes > this.options.maxBytes) {
      callback(new FileTooLargeError(`file is larger than the ${this.options.maxBytes}-byte limit`));
      return;
    }
    if (start < BINARY_SNIFF_BYTES && chunk.subarray(0, BINARY_SNIFF_BYTES - start).includes(0)) {
      callback(new NotCsvError('file looks binary (NUL byte in its first 8 KiB), not CSV text'));
      return;
    }
    try {
      this.utf8.decode(chunk, { stream: true });
    } catch {
      callback(new NotCsvError(`file is not UTF-8 text (invalid byte sequence between bytes ${start} and ${this.bytes})`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { expectedBytes } = this.options;
    // Checked first: a cut-off download must be retried, not blamed on the file (an unclosed quote, say).
    if (expectedBytes !== undefined && this.bytes !== expectedBytes) {
      callback(new IncompleteDownloadError(`read ${this.bytes} of ${expectedBytes} bytes`));
      return;
    }
    try {
      this.utf8.decode();
    } catch {
      callback(new NotCsvError('file is not UTF-8 text (it ends inside a multi-byte character)'));
      return;
    }
    if (this.bytes === 0) {
      callback(new EmptyFileError('file is empty (0 bytes)'));
      return;
    }
    callback();
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Counts records without keeping them; `writev` takes the parser's buffered records in one call. */
class RecordCounter extends Writable {
  records = 0;

  constructor() {
    super({ objectMode: true, highWaterMark: 1024 });
  }

  override _write(_record: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.records += 1;
    callback();
  }

  override _writev(chunks: Array<{ chunk: unknown }>, callback: (error?: Error | null) => void): void {
    this.records += chunks.length;
    callback();
  }
}

/**
 * Reads `source` to its end once. Throws NotCsvError, EmptyFileError, FileTooLargeError or CsvFormatError
 * (permanent) for bad files; errors of the source itself (network) and IncompleteDownloadError are transient.
 */
export async function scanCsv(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, options: CsvScanOptions = {}): Promise<CsvScan> {
  const inspector = new ByteInspector(options);
  const counter = new RecordCounter();
  const parser = parse({ bom: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
  try {
    await pipeline(source, inspector, parser, counter);
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFormatError(`malformed CSV: ${error.message}`);
    throw error;
  }
  if (counter.records === 0) throw new EmptyFileError('file has no header row (only blank lines)');
  return { bytes: inspector.bytes, rowCount: counter.records - 1, contentHash: inspector.digest() };
}
