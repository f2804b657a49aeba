/**
 * The dispatcher in-process: command selection, help, strict flags, usage errors, `--json` and exit
 * codes. Commands that reach AWS run against the local cloud in local-cloud.test.ts.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../cli/command';
import { COMMANDS } from '../../cli/commands';
import { runCli } from '../../cli/main';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], commands: readonly Command[] = COMMANDS, env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { stdout, stderr, env, now: () => new Date('2026-05-01T03:24:00Z') }, commands);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A command reporting what it was given, to see the dispatcher's work without AWS. */
const echo: Command = {
  path: ['probe', 'echo'],
  summary: 'reports its context',
  arguments: '[words...]',
  description: 'Reports its context.',
  flags: { times: { type: 'string', valueName: 'n', description: 'a number' } },
  async run({ target, args, flags, now }) {
    const json = { target, args, times: flags.times ?? null, now: now.toISOString() };
    return { json, exitCode: args.includes('alarm') ? 2 : 0, human: (style) => style.bold(`echo ${args.join(' ')}\n`) };
  },
};

describe('tidewatch dispatcher', () => {
  it('prints the command list for --help, `help` and a bare group --help, exit 0', async () => {
    for (const argv of [['--help'], ['help']]) {
      const { code, stdout } = await run(argv);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: tidewatch <command> \[options\]/);
      expect(stdout).toMatch(/^ {2}status {12}queues, dead-letter queues/m);
      expect(stdout).toMatch(/^ {2}dlq peek {10}sample dead-lettered messages/m);
      expect(stdout).toMatch(/^ {2}redrive history {3}the audit ledger/m);
      expect(stdout).toContain('--endpoint-url <url>');
    }
    const group = await run(['dlq', '--help']);
    expect(group.stdout).toMatch(/^Usage: tidewatch dlq <subcommand> \[options\][\s\S]*Subcommands:\n {2}dlq peek/);
  });

  it("prints a command's help with its own flags, from --help anywhere or `help <command>`", async () => {
    for (const argv of [['dlq', 'peek', '--help'], ['--help', 'dlq', 'peek'], ['help', 'dlq', 'peek']]) {
      const { code, stdout } = await run(argv);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: tidewatch dlq peek \[files\|jobs\] \[options\]/);
      expect(stdout).toMatch(/Options:\n {2}--max <n> {3}messages per queue, 1-100 \(default: 10\)/);
    }
    expect((await run(['status', '--help'])).stdout).toContain('Exit codes: 0 healthy, 2 a paging alarm is firing, 1 an error');
  });

  it.each([
    [[], /^tidewatch: no command given\n\nUsage: tidewatch <command>/],
    [['stauts'], /^tidewatch: unknown command "stauts"\n\nUsage: tidewatch <command>/],
    [['dlq'], /^tidewatch: dlq needs a subcommand: peek, archive\n\nUsage: tidewatch dlq <subcommand>/],
    [['dlq', 'poke'], /^tidewatch: unknown dlq subcommand "poke" \(expected peek, archive\)\n\nUsage: tidewatch dlq <subcommand>/],
    [['status', 'now'], /^tidewatch: status takes no arguments, got: now\n\nUsage: tidewatch status \[options\]/],
    [['status', '--verbose'], /^tidewatch: Unknown option '--verbose'[^\n]*\n\nUsage: tidewatch status \[options\]/],
    [['dlq', 'peek', '--max'], /^tidewatch: Option '--max <value>' argument missing\n\nUsage: tidewatch dlq peek/],
    [['dlq', 'peek', '--max', '0'], /^tidewatch: --max must be a whole number from 1 to 100, got "0"\n\nUsage: tidewatch dlq peek/],
    [['dlq', 'peek', 'Uploads!'], /^tidewatch: "Uploads!" is not a work queue's name \(one lowercase word\)\n\nUsage: tidewatch dlq peek/],
    [['dlq', 'peek', 'files', 'jobs'], /^tidewatch: expected at most one queue, got: files jobs\n\nUsage: tidewatch dlq peek/],
    [['status', '--stack', 'A', '--stage', 'b'], /^tidewatch: --stack and --stage name the stack twice/],
  ])('refuses %j with a usage message on stderr, exit 1', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('answers a usage error with a JSON error under --json', async () => {
    const { code, stderr } = await run(['status', '--verbose', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stderr)).toEqual({ error: 'UsageError', message: expect.stringMatching(/^Unknown option '--verbose'/) });
  });

  it('hands the command its arguments, flags and target, wherever the common flags are', async () => {
    const { code, stdout } = await run(['--stage', 'local', 'probe', '--json', 'echo', 'a', '--times', '3', '--endpoint-url', 'http://127.0.0.1:4566'], [echo], { AWS_REGION: 'eu-west-1' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      target: { stackName: 'Tidewatch-local', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' },
      args: ['a'],
      times: '3',
      now: '2026-05-01T03:24:00.000Z',
    });
  });

  it("prints the human report without colour when stdout is not a terminal, and passes the command's exit code", async () => {
    const { code, stdout } = await run(['probe', 'echo', 'alarm'], [echo]);
    expect([code, stdout]).toEqual([2, 'echo alarm\n']);
  });

  it('explains a failure in one line on stderr, without a stack trace', async () => {
    const failing: Command = { ...echo, run: () => Promise.reject(new TypeError('boom')) };
    const { code, stderr } = await run(['probe', 'echo'], [failing]);
    expect([code, stderr]).toEqual([1, 'tidewatch: TypeError: boom\n']);
  });
});
