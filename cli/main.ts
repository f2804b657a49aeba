/**
 * The `tidewatch` dispatcher: finds the command from its words, parses the common and the command's
 * flags (strictly), resolves the target stack, runs the command with real SDK clients and prints its
 * report as text or `--json`. Exit codes: the command's (0, or 2 while an alarm fires), 1 on any error
 * or usage mistake, with one readable line on stderr and never a stack trace.
 */
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createAwsClients } from './aws-clients';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { explainFailure, UsageError } from './errors';
import { commandHelp, programHelp } from './help';
import { COMMON_FLAGS, parseArgsOptions, resolveTarget, type FlagValues, type Target } from './options';
import { styleFor } from './terminal';

export interface CliIo {
  readonly stdout: Writable & { readonly isTTY?: boolean };
  readonly stderr: Writable & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** @default the system clock */
  readonly now?: () => Date;
}

const EXIT_ERROR = 1;

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  // A first, lenient pass only finds the command words and --json/--help; the command's own flags
  // are parsed strictly once the command is known.
  const lenient = parseArgs({ args: [...argv], options: parseArgsOptions(COMMON_FLAGS), strict: false, allowPositionals: true, tokens: true });
  const json = lenient.values.json === true;
  let commandPath: string | undefined;
  let target: Target | undefined;
  try {
    const selection = selectCommand(argv, lenient.tokens, commands);
    commandPath = selection.command?.path.join(' ') ?? selection.group;
    if (!selection.command) {
      if (lenient.values.help === true || selection.help) {
        io.stdout.write(programHelp(commands, selection.group));
        return 0;
      }
      throw missingCommand(selection, commands);
    }
    const command = selection.command;
    const flags = parseCommandFlags(command, selection.rest);
    if (flags.values.help === true || selection.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    if (!command.arguments && flags.positionals.length > 0) {
      throw new UsageError(`${command.path.join(' ')} takes no arguments, got: ${flags.positionals.join(' ')}`, command.path.join(' '));
    }
    target = resolveTarget(flags.values, io.env);
    const clients = createAwsClients(target, io.env);
    try {
      const output = await command.run({ target, clients, args: flags.positionals, flags: flags.values, now: io.now?.() ?? new Date(), progress: io.stderr, env: io.env });
      io.stdout.write(json ? `${JSON.stringify(output.json, null, 2)}\n` : output.human(styleFor(io.stdout, io.env)));
      return output.exitCode;
    } finally {
      clients.destroy();
    }
  } catch (error) {
    const failure = explainFailure(error, target);
    if (json) io.stderr.write(`${JSON.stringify({ error: failure.code, message: failure.message })}\n`);
    else {
      const usage = failure instanceof UsageError ? `\n${helpFor(failure.commandPath ?? commandPath, commands)}` : '';
      io.stderr.write(`tidewatch: ${failure.message}\n${usage}`);
    }
    return EXIT_ERROR;
  }
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

interface Selection {
  readonly command?: Command;
  /** The first word of multi-word commands (`dlq`) when only it was given. */
  readonly group?: string;
  /** The words given, when they select no command. */
  readonly words: readonly string[];
  /** `tidewatch help [command]`. */
  readonly help: boolean;
  /** The arguments left once the command's words are taken out. */
  readonly rest: readonly string[];
}

/** The command whose words lead the positional arguments, the longest match winning. */
function selectCommand(argv: readonly string[], tokens: readonly Token[], commands: readonly Command[]): Selection {
  let positionals = tokens.filter((token) => token.kind === 'positional');
  const help = positionals[0]?.value === 'help';
  if (help) positionals = positionals.slice(1);
  const words = positionals.map((token) => token.value);
  const command = commands
    .filter((candidate) => candidate.path.every((word, i) => words[i] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const taken = new Set(tokens.filter((token) => token.kind === 'positional').slice(0, (help ? 1 : 0) + (command?.path.length ?? 0)).map((token) => token.index));
  const group = !command && commands.some((candidate) => candidate.path.length > 1 && candidate.path[0] === words[0]) ? words[0] : undefined;
  return { command, group, words, help, rest: argv.filter((_, index) => !taken.has(index)) };
}

function missingCommand(selection: Selection, commands: readonly Command[]): UsageError {
  if (selection.group) {
    const subcommands = commands.filter((command) => command.path[0] === selection.group).map((command) => command.path.slice(1).join(' '));
    const given = selection.words[1];
    return new UsageError(
      given ? `unknown ${selection.group} subcommand ${JSON.stringify(given)} (expected ${subcommands.join(', ')})` : `${selection.group} needs a subcommand: ${subcommands.join(', ')}`,
      selection.group,
    );
  }
  const [word] = selection.words;
  return new UsageError(word === undefined ? 'no command given' : `unknown command ${JSON.stringify(word)}`);
}

function parseCommandFlags(command: Command, args: readonly string[]): { values: FlagValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: parseArgsOptions({ ...COMMON_FLAGS, ...command.flags }), strict: true, allowPositionals: true });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    // parseArgs names the flag: "Unknown option '--maxx'", "Option '--max <value>' argument missing".
    throw new UsageError((error as Error).message, command.path.join(' '));
  }
}

function helpFor(commandPath: string | undefined, commands: readonly Command[]): string {
  const command = commands.find((candidate) => candidate.path.join(' ') === commandPath);
  if (command) return commandHelp(command);
  return programHelp(commands, commandPath && commands.some((candidate) => candidate.path[0] === commandPath) ? commandPath : undefined);
}
