/**
 * What a CLI command is: its words (`status`, `dlq peek`), its help, its own flags and a run that
 * returns a report. The dispatcher (main.ts) does the rest the same way for every command: parsing,
 * the target stack, the clients, `--json` or human output, errors and exit codes.
 */
import type { Writable } from 'node:stream';
import type { AwsClients } from './aws-clients';
import type { FlagSpecs, FlagValues, Target } from './options';
import type { Style } from './terminal';

export interface CommandContext {
  readonly target: Target;
  readonly clients: AwsClients;
  /** Positional arguments after the command's words. */
  readonly args: readonly string[];
  /** Parsed flags: the common ones and the command's own. */
  readonly flags: FlagValues;
  /** When the command runs: every "ago" in its output is relative to it. */
  readonly now: Date;
  /** Where a long command reports its progress while it runs (stderr: stdout stays the report). */
  readonly progress: Writable & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export interface CommandOutput {
  /** What `--json` prints. */
  readonly json: unknown;
  /** 0 done/healthy, 2 an alarm fires; failures throw instead (exit 1). */
  readonly exitCode: number;
  /** The human report. */
  human(style: Style): string;
}

export interface Command {
  /** The words that select it, e.g. `['dlq', 'peek']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Positional arguments in the usage line, e.g. `[files|jobs]`. @default none */
  readonly arguments?: string;
  /** The help's paragraph: what it shows, exit codes, caveats. */
  readonly description: string;
  /** Its own flags, besides the common ones. */
  readonly flags: FlagSpecs;
  run(context: CommandContext): Promise<CommandOutput>;
}
