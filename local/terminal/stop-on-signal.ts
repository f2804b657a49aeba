/**
 * How `npm start` ends on Ctrl-C (SIGINT) or SIGTERM: one clean stop, said so.
 *
 * A terminal's Ctrl-C signals the whole foreground process group, and npm forwards the SIGINT it got
 * to its child as well: one keypress reaches the local cloud two or more times within milliseconds.
 * Signals within `SAME_KEYPRESS_MS` of the first are taken as that same keypress and ignored; a signal
 * after it is a person asking again, and ends the process at once, without a clean stop.
 */

/** Signals closer than this to the first come from the same keypress (the group's and npm's). */
export const SAME_KEYPRESS_MS = 2_000;

/** Handles SIGINT and SIGTERM of this process as described above: `stop` is the clean stop. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (performance.now() - firstSignalAt < SAME_KEYPRESS_MS) return;
      process.stderr.write(`${signal} again: exiting without a clean stop\n`);
      process.exit(1);
    }
    firstSignalAt = performance.now();
    process.stdout.write(`\n${signal}: stopping (waiting for invocations in flight; Ctrl-C again to exit at once)...\n`);
    stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: Error) => {
        process.stderr.write(`Stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
