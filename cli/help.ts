/**
 * Help texts, built from the commands' own descriptions and flags so they cannot drift from them.
 */
import type { Command } from './command';
import { COMMON_FLAGS, flagHelp } from './options';

const PROGRAM = 'tidewatch';

/** The top-level help, or a command group's (`tidewatch dlq`) when `group` is given. */
export function programHelp(commands: readonly Command[], group?: string): string {
  const listed = group ? commands.filter((command) => command.path[0] === group) : commands;
  const names = listed.map((command) => command.path.join(' '));
  const width = Math.max(...names.map((name) => name.length));
  return [
    `Usage: ${PROGRAM} ${group ? `${group} <subcommand>` : '<command>'} [options]`,
    '',
    'Operates a Tidewatch stack, in AWS or on the local cloud (--endpoint-url http://127.0.0.1:4566 --stage local).',
    '',
    `${group ? 'Subcommands' : 'Commands'}:`,
    ...listed.map((command, i) => `  ${names[i]!.padEnd(width)}   ${command.summary}`),
    '',
    'Common options:',
    ...flagHelp(COMMON_FLAGS),
    '',
    `Run '${PROGRAM} <command> --help' for a command's own options and exit codes.`,
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const own = Object.keys(command.flags).length > 0 ? ['Options:', ...flagHelp(command.flags), ''] : [];
  return [
    `Usage: ${PROGRAM} ${command.path.join(' ')}${command.arguments ? ` ${command.arguments}` : ''} [options]`,
    '',
    command.description,
    '',
    ...own,
    'Common options:',
    ...flagHelp(COMMON_FLAGS),
    '',
  ].join('\n');
}
