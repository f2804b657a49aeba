/**
 * What a function's worker threads load: its TypeScript entry bundled by esbuild into one ESM file, as
 * NodejsFunction bundles it for Lambda, beside the worker code (function-worker.ts) bundled the same way.
 * A thread then loads plain JavaScript, with no TypeScript loader hooks: through those, every import of
 * a cold start was a round trip to a hooks thread of its own, which made cold starts about three times
 * as costly in CPU. Each cold start rebuilds incrementally first (unchanged files are not parsed again),
 * so an edited handler is what the next new environment runs, as in `npm start` before.
 */
import { access, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, type BuildContext, type BuildFailure, type OutputFile } from 'esbuild';

/** The files one environment loads. */
export interface BundleFiles {
  /** The worker code, started as the thread's module. */
  readonly worker: string;
  /** The function's entry, bundled; what the worker imports. */
  readonly handler: string;
}

/** The entry does not build (a syntax error, an import that does not resolve); the message has esbuild's errors. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const WORKER_SOURCE = fileURLToPath(new URL('./function-worker.ts', import.meta.url));

export class FunctionBundle {
  private building: Promise<BundleFiles> | undefined;
  private builds = 0;

  private constructor(
    private readonly build: BuildContext,
    private readonly directory: string,
  ) {}

  /** Prepares the incremental build of `entry` (nothing is built until `files()`). */
  static async create(entry: string): Promise<FunctionBundle> {
    const directory = await mkdtemp(join(tmpdir(), 'tidewatch-function-'));
    const build = await context({
      entryPoints: { handler: entry, worker: WORKER_SOURCE },
      outdir: directory,
      outExtension: { '.js': '.mjs' },
      // Written by files(), each output under its content hash: a rebuild never rewrites a file that a
      // thread may be loading at that moment.
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The Node that runs the threads (Lambda's is newer; nothing here needs more).
      target: `node${process.versions.node.split('.')[0]}`,
      mainFields: ['module', 'main'],
      // Stack traces point at the TypeScript sources (the worker turns source maps on).
      sourcemap: 'inline',
      sourcesContent: false,
      // CommonJS dependencies call require() inside the ESM bundle: the banner NodejsFunction uses too.
      banner: { js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    return new FunctionBundle(build, directory);
  }

  /** Rebuilds (concurrent callers share one build) and answers the files to load; rejects with BundleError. */
  files(): Promise<BundleFiles> {
    this.building ??= this.countedRebuild()
      .then(
        async ({ outputFiles = [] }) => {
          const [worker, handler] = await Promise.all(['worker', 'handler'].map((name) => this.write(outputFiles, name)));
          return { worker, handler };
        },
        (error: BuildFailure) => {
          const errors = (error.errors ?? []).map((failure) => `${failure.location ? `${failure.location.file}:${failure.location.line}: ` : ''}${failure.text}`);
          throw new BundleError(errors.length > 0 ? errors.join('; ') : error.message);
        },
      )
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  /** esbuild builds run so far. */
  get buildCount(): number {
    return this.builds;
  }

  private countedRebuild() {
    this.builds += 1;
    return this.build.rebuild();
  }

  /** Writes the output `<name>.mjs` as `<name>-<hash>.mjs`, unless a build wrote that content already. */
  private async write(outputFiles: readonly OutputFile[], name: string): Promise<string> {
    const output = outputFiles.find((file) => file.path === join(this.directory, `${name}.mjs`));
    if (!output) throw new BundleError(`esbuild produced no ${name}.mjs`);
    // esbuild's hash is base64: '/' and '+' cannot be in a file name.
    const file = join(this.directory, `${name}-${output.hash.replace(/[^A-Za-z0-9]/g, '_')}.mjs`);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await writeFile(`${file}.partial`, output.contents);
      await rename(`${file}.partial`, file);
    }
    return file;
  }

  async dispose(): Promise<void> {
    await this.build.dispose();
    await rm(this.directory, { recursive: true, force: true });
  }
}
