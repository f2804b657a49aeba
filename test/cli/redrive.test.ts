/**
 * The redrive commands without AWS: their filters, usage errors (refused before anything is asked of
 * AWS), and the progress a person sees while a run goes on: a bar on a terminal, plain lines otherwise.
 * Against the local cloud they run in test/local/redrive/.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import { parseFilter } from '../../cli/redrive-filter';
import { followRun, progressReporter } from '../../cli/redrive-progress';
import { ZERO_COUNTS, type RedriveRun } from '../../contract/redrive';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const NOW = new Date('2030-01-01T12:00:00Z');

async function run(argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { stdout, stderr, env: {}, now: () => NOW });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('--filter', () => {
  it('reads each term into the filter, ages as absolute times before now', () => {
    expect(parseFilter(['class=RequestedFailureError', 'message=timed out', 'older-than=2h', 'newer-than=2029-12-31T00:00:00Z', 'body.payload.kind=a=b'], NOW, 'redrive')).toEqual({
      failureClass: 'RequestedFailureError',
      messageContains: 'timed out',
      olderThan: '2030-01-01T10:00:00.000Z',
      newerThan: '2029-12-31T00:00:00.000Z',
      bodyField: { path: 'payload.kind', equals: 'a=b' },
    });
    expect(parseFilter([], NOW, 'redrive')).toBeUndefined();
  });

  it.each([
    [['class'], /is not key=value/],
    [['kind=x'], /unknown key "kind"/],
    [['older-than=yesterday'], /neither an age .* nor an ISO-8601 time/],
    [['class=A', 'class=B'], /failureClass is given twice/],
    [['body.=x'], /unknown key "body\."/],
  ])('refuses %j, naming the term', (terms, message) => {
    expect(() => parseFilter(terms, NOW, 'redrive')).toThrow(message);
  });
});

describe('usage errors, before anything is asked of AWS', () => {
  it.each([
    [['redrive'], /^tidewatch: which queue\? name one of the stack's work queues\n\nUsage: tidewatch redrive <queue>/],
    [['redrive', 'jobs', 'files'], /^tidewatch: expected at most one queue, got: jobs files/],
    [['redrive', 'jobs', '--mode', 'some'], /^tidewatch: --mode must be selective or all, got "some"/],
    [['redrive', 'jobs', '--mode', 'all', '--rate', '600'], /^tidewatch: --rate must be a whole number from 1 to 500, got "600"/],
    [['redrive', 'jobs', '--canary', '0'], /^tidewatch: --canary must be a whole number from 1 to 100/],
    [['redrive', 'jobs', '--filter', 'nope'], /^tidewatch: --filter "nope" is not key=value/],
    [['redrive', 'status'], /^tidewatch: which queue\?[\s\S]*Usage: tidewatch redrive status <queue>/],
    [['redrive', 'history', 'Jobs!'], /^tidewatch: "Jobs!" is not a work queue's name/],
    [['dlq', 'archive', 'jobs'], /^tidewatch: name the dead letters to archive: --message-id <id> or --filter <key=value>\n\nUsage: tidewatch dlq archive/],
  ])('refuses %j with a usage message, exit 1', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('documents the subcommands, the filter terms and the exit codes in its help', async () => {
    const { code, stdout } = await run(['redrive', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: tidewatch redrive <queue> \[options\]/);
    expect(stdout).toMatch(/--filter <key=value>\s+only these dead letters \(selective\): class=/);
    expect(stdout).toContain('tidewatch redrive cancel <queue>');
    expect(stdout).toContain('Exit codes: 0 started');
  });
});

function runAt(moved: number, status: RedriveRun['status'] = 'RUNNING'): RedriveRun {
  return {
    runId: 'run-1',
    queue: 'jobs',
    kind: 'redrive',
    mode: 'selective',
    dryRun: false,
    maxPerSecond: 10,
    requestedBy: 'test',
    startedAt: new Date(NOW.getTime() - 2_000).toISOString(),
    updatedAt: NOW.toISOString(),
    status,
    toMove: 8,
    counts: { ...ZERO_COUNTS, scanned: moved, matched: moved, moved },
    failures: [],
  };
}

describe('progress while a run goes on', () => {
  it('prints a plain line each time the count moves when stderr is not a terminal, and ends with the run', async () => {
    const stream = new Capture(false);
    const states = [runAt(0), runAt(4), runAt(4), runAt(8, 'COMPLETED')];
    const ended = await followRun(async () => states.shift(), 'run-1', progressReporter(stream, false), () => NOW);
    expect(ended.status).toBe('COMPLETED');
    expect(stream.text.split('\n').filter(Boolean)).toEqual([
      'jobs: 0/8 moved, 8 remaining, 0.0/s, ETA - (RUNNING)',
      'jobs: 4/8 moved, 4 remaining, 2.0/s, ETA 2s (RUNNING)',
      'jobs: 8/8 moved, 0 remaining, 4.0/s, ETA 0s (COMPLETED)',
    ]);
  });

  it('draws a bar (moved, remaining, rate, ETA) on a terminal, and nothing with --json', async () => {
    const terminal = new Capture(true);
    await followRun(async () => runAt(8, 'COMPLETED'), 'run-1', progressReporter(terminal, false), () => NOW);
    expect(terminal.text).toMatch(/█+ 8\/8 moved \| 0 left \| 4\.0\/s \| ETA 0s \| COMPLETED/);
    const quiet = new Capture(true);
    await followRun(async () => runAt(8, 'COMPLETED'), 'run-1', progressReporter(quiet, true), () => NOW);
    expect(quiet.text).toBe('');
  });

  it('stops following when another run has replaced it', async () => {
    await expect(followRun(async () => ({ ...runAt(1), runId: 'run-2' }), 'run-1', progressReporter(new Capture(), true))).rejects.toThrow(/run run-1 is no longer the queue's latest \(run run-2 followed it\)/);
  });
});
