/**
 * Whether the files a build read are still as they were, told by each file's size, modification and
 * change times. Only stat: reading the hundreds of dependency files a bundle holds at every cold start
 * would cost more than the build it saves. (esbuild's own watch mode polls continuously and notices an
 * edit only some time later; an edit must reach the very next cold start.)
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * How long before a build started its inputs must have last changed for the build to be trusted: a
 * file written while esbuild was reading it can carry a change time from just before the build started
 * (file systems with 1 s timestamps, the kernel's coarse clock), and its new content may be missing.
 */
const SETTLED_MS = 2_000;

export class BuildInputs {
  private constructor(private readonly stamps: ReadonlyMap<string, string>) {}

  /**
   * The inputs of a build that started at `buildStartedAt` (epoch ms), as `paths` relative to
   * `directory` (esbuild's metafile keys); undefined when one of them changed too close to the build
   * (or is gone), so its output cannot be trusted to hold it.
   */
  static async of(directory: string, paths: readonly string[], buildStartedAt: number): Promise<BuildInputs | undefined> {
    const files = paths.map((path) => resolve(directory, path));
    const found = await Promise.all(files.map((file) => stat(file).catch(() => undefined)));
    const stamps = new Map<string, string>();
    for (const [index, file] of files.entries()) {
      const stats = found[index];
      if (!stats || stats.ctimeMs >= buildStartedAt - SETTLED_MS) return undefined;
      stamps.set(file, stampOf(stats));
    }
    return new BuildInputs(stamps);
  }

  /** True while every input has the size and times it had when the build read it. */
  async unchanged(): Promise<boolean> {
    const current = await Promise.all([...this.stamps.keys()].map((file) => stat(file).then(stampOf, () => undefined)));
    return [...this.stamps.values()].every((stamp, index) => current[index] === stamp);
  }
}

/** Size and times; the change time moves on any write, even one that restores the modification time (`cp -p`, `touch -d`). */
function stampOf(stats: { size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}
