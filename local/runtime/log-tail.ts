/** The end of one invocation's log, as Lambda returns it for `X-Amz-Log-Type: Tail`: the last 4 KB, base64. */

/** Lambda's tail size. */
export const LOG_TAIL_BYTES = 4 * 1024;

export class LogTail {
  private readonly lines: string[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes = LOG_TAIL_BYTES) {}

  /** Takes one log line; lines that can no longer reach the tail are let go. */
  readonly add = (line: string): void => {
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
    while (this.lines.length > 1 && this.bytes - Buffer.byteLength(this.lines[0]) - 1 >= this.maxBytes) {
      this.bytes -= Buffer.byteLength(this.lines.shift() as string) + 1;
    }
  };

  /** The last `maxBytes` of the log, newline-terminated lines, base64-encoded. */
  toBase64(): string {
    const log = Buffer.from(this.lines.map((line) => `${line}\n`).join(''));
    return log.subarray(Math.max(0, log.length - this.maxBytes)).toString('base64');
  }
}
