/**
 * `tidewatch review`'s own usage errors, in-process: they are refused before any request is made.
 * Fetching, building and the function's refusals run against the local cloud in
 * test/local/review/review-weeks.test.ts.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function review(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  // An endpoint nobody listens on: a usage error must come before any request would fail.
  const code = await runCli(['review', ...argv, '--endpoint-url', 'http://127.0.0.1:9'], { stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('tidewatch review', () => {
  it.each([
    [['--week', '2026-W99'], '2026-W99 is not a week of 2026'],
    [['--week', '2026-47'], 'a week is written YYYY-Www, e.g. 2026-W47'],
    [['--week', '2026-W01', '--from', '2026-01-01', '--to', '2026-01-02'], 'give --week or --from/--to, not both'],
    [['--from', '2026-01-01'], '--from and --to go together'],
    [['--from', '2026-01-05', '--to', '2026-01-05'], 'must be at least a day after --from'],
    [['--from', '2026-01-01', '--to', '2026-03-01'], 'a review covers at most 31 days'],
    [['--week', '2026-W01', '--format', 'pdf'], '--format must be one of html, md, json'],
    [['--week', '2026-W01', '--out', 'review.pdf'], 'could not tell from --out review.pdf'],
  ])('refuses %j with exit code 1 and the usage', async (argv, message) => {
    const { code, stdout, stderr } = await review(...argv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`tidewatch: `);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: tidewatch review');
  });

  it('takes 2026-W53, a week of a 53-week year, past the usage checks', async () => {
    const { code, stderr } = await review('--week', '2026-W53');
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
