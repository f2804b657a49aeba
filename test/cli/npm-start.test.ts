/**
 * `npm start` as a person runs it: the whole command chain (npm, its shell, the local cloud) in a
 * process group of its own, stopped with a Ctrl-C sent to the group as a terminal sends it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NpmStart } from '../support/npm-start';

/** Start-up on a loaded machine, synthesis of a changed stack included. */
const READY_MS = 240_000;
/** A clean stop: pollers, workers, servers and emulators. */
const STOP_MS = 60_000;

let run: NpmStart | undefined;
afterEach(() => run?.dispose());

describe('npm start', () => {
  it('stops cleanly on one Ctrl-C, though the terminal signals npm and the local cloud alike', { timeout: READY_MS + STOP_MS }, async () => {
    run = new NpmStart();
    await run.ready(READY_MS);
    run.pressCtrlC();
    const exit = await run.exitWithin(STOP_MS);

    expect(run.stderr).not.toMatch(/again/);
    expect(run.stdout).toMatch(/^SIGINT: stopping/m);
    expect(run.stdout).toMatch(/^Stopped\.$/m);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
