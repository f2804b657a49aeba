/**
 * The exec wrapper as Lambda runs it: given the runtime's command line (the node binary, then its
 * arguments), it must exec that very command with V8's young generation starting at 16 MiB a semi-space,
 * every argument passed through unchanged, and the process's exit code its own.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WRAPPER = fileURLToPath(new URL('./exec-wrapper.sh', import.meta.url));
/** What the wrapped Node reports: its V8 flags, its arguments and its young generation's semi-space size. */
const REPORT = `const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, argv: process.argv.slice(1), semiSpaceMiB: space.space_size / 1048576 }));`;

function runWrapped(...args: string[]) {
  const run = spawnSync(WRAPPER, [process.execPath, ...args], { encoding: 'utf8' });
  const report = run.status === 0 ? (JSON.parse(run.stdout) as { pid: number; execArgv: string[]; argv: string[]; semiSpaceMiB: number }) : undefined;
  return { pid: run.pid, status: run.status, stderr: run.stderr, report };
}

describe('exec-wrapper.sh', () => {
  it("execs the runtime's node with the young generation at 16 MiB, the runtime's own flags and arguments kept in order", () => {
    // The runtime's flags as its bootstrap passes them (a 256 MB function's heap limits among them).
    const { status, stderr, report } = runWrapped('--max-semi-space-size=12', '--max-old-space-size=231', '-e', REPORT, 'an argument', '', 'with "quotes" and $HOME');

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(report!.execArgv).toEqual(['--min-semi-space-size=16', '--max-semi-space-size=12', '--max-old-space-size=231', '-e', REPORT]);
    expect(report!.argv).toEqual(['an argument', '', 'with "quotes" and $HOME']);
    expect(report!.semiSpaceMiB).toBe(16);
  });

  it('replaces itself with the runtime (exec: the same process, no shell left waiting), whose exit code is the exit code', () => {
    const wrapped = runWrapped('-e', REPORT);
    expect(wrapped.report!.pid).toBe(wrapped.pid);
    expect(runWrapped('-e', 'process.exit(7)').status).toBe(7);
  });

  it('starts a young generation larger than a plain Node starts (so the flag is what makes it 16 MiB)', () => {
    const plain = spawnSync(process.execPath, ['-e', REPORT], { encoding: 'utf8' });
    expect((JSON.parse(plain.stdout) as { semiSpaceMiB: number }).semiSpaceMiB).toBeLessThan(16);
  });
});
