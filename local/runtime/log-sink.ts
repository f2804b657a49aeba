/**
 * Everything the functions write, line by line: printed with the function's label in front (coloured
 * on a terminal; as written, or as `format` makes it), appended to `<logDirectory>/<label>.log` (the local CloudWatch log group) and handed
 * to line listeners under the function's physical name (the local CloudWatch turns EMF lines into metrics).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export type LineListener = (functionName: string, line: string) => void;

export interface LogSinkOptions {
  /** Directory of the per-function log files; undefined keeps no files. @default undefined */
  readonly logDirectory?: string;
  /** Where prefixed lines are printed; undefined prints nothing. @default undefined */
  readonly print?: Writable & { readonly isTTY?: boolean };
  /** Colour the prefixes. @default whether `print` is a terminal */
  readonly colour?: boolean;
  /** How a line is printed after the label; undefined from it prints nothing. Files and listeners get the line as written. @default the line as written */
  readonly format?: LineFormat;
}

export type LineFormat = (line: string) => string | undefined;

const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];

export class LogSink {
  private readonly listeners = new Set<LineListener>();
  private readonly files = new Map<string, WriteStream>();
  private readonly prefixes = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private readonly colour: boolean;
  private prefixWidth = 0;

  constructor(private readonly options: LogSinkOptions = {}) {
    this.colour = options.colour ?? options.print?.isTTY === true;
    if (options.logDirectory) mkdirSync(options.logDirectory, { recursive: true });
  }

  /** Calls `listener` with every line any function writes; returns the unsubscribe function. */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Gives functions the short labels their lines are printed and filed under (`file-worker` rather
   * than its physical name); also lines the prefixes up. Unlabelled functions use their name.
   */
  label(labels: Readonly<Record<string, string>>): void {
    for (const [functionName, label] of Object.entries(labels)) this.labels.set(functionName, label);
    this.prefixWidth = Math.max(this.prefixWidth, ...Object.values(labels).map((label) => label.length));
    this.prefixes.clear();
  }

  /** Reads `stream` line by line as output of `functionName`, each line also handed to `alsoTo`. */
  capture(functionName: string, stream: Readable, alsoTo?: (line: string) => void): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.write(functionName, line);
      alsoTo?.(line);
    });
  }

  write(functionName: string, line: string): void {
    const printed = this.options.format ? this.options.format(line) : line;
    if (printed !== undefined) this.options.print?.write(`${this.prefix(functionName)}${printed}\n`);
    if (this.options.logDirectory) this.append(functionName, `${line}\n`);
    for (const listener of this.listeners) listener(functionName, line);
  }

  /** Flushes and closes the log files. */
  async close(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    await Promise.all(files.map((file) => new Promise<void>((resolve) => file.end(resolve))));
  }

  /**
   * Lines written in the same tick (a worker hands its output over in chunks) reach the file in one
   * write instead of one each: the stream is corked until the next tick.
   */
  private append(functionName: string, text: string): void {
    const file = this.file(functionName);
    if (file.writableCorked === 0) {
      file.cork();
      process.nextTick(() => file.uncork());
    }
    file.write(text);
  }

  private file(functionName: string): WriteStream {
    let file = this.files.get(functionName);
    if (!file) {
      file = createWriteStream(join(this.options.logDirectory as string, `${this.labelOf(functionName)}.log`), { flags: 'a' });
      this.files.set(functionName, file);
    }
    return file;
  }

  private labelOf(functionName: string): string {
    return this.labels.get(functionName) ?? functionName;
  }

  private prefix(functionName: string): string {
    let prefix = this.prefixes.get(functionName);
    if (prefix === undefined) {
      const label = `${this.labelOf(functionName).padEnd(this.prefixWidth)} │ `;
      const code = COLOURS[this.prefixes.size % COLOURS.length];
      prefix = this.colour ? `\u001b[${code}m${label}\u001b[0m` : label;
      this.prefixes.set(functionName, prefix);
    }
    return prefix;
  }
}
