/**
 * What a function's worker threads load: its TypeScript entry bundled by esbuild into one CommonJS file
 * with the options the project's NodejsFunction bundles it with for Lambda (lib/function-bundling.ts),
 * beside the worker code (function-worker.ts) bundled the same way.
 * A thread then loads plain JavaScript, with no TypeScript loader hooks: through those, every import of
 * a cold start was a round trip to a hooks thread of its own, which made cold starts about three times
 * as costly in CPU. A cold start reuses the last build while none of the files it read changed, so the
 * environments of a function share one build; after an edit the next cold start rebuilds (incrementally:
 * unchanged files are not parsed again), so an edited handler is what the next new environment runs.
 */
import { access, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, type BuildContext, type BuildFailure, type BuildResult, type OutputFile } from 'esbuild';
import { functionEsbuildOptions, LAMBDA_CREDENTIALS_MODULE } from '../../lib/function-bundling';
import { PROJECT_ROOT } from '../../lib/project';
import { BuildInputs } from './build-inputs';

/** The files one environment loads. */
export interface BundleFiles {
  /** The worker code, started as the thread's main module. */
  readonly worker: string;
  /** The function's entry, bundled; what the worker requires. */
  readonly handler: string;
  /** Node's compile cache of the function's environments (V8 code of the bundles they loaded). */
  readonly compileCacheDirectory: string;
}

/** The entry does not build (a syntax error, an import that does not resolve); the message has esbuild's errors. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const WORKER_SOURCE = fileURLToPath(new URL('./function-worker.ts', import.meta.url));
const LAMBDA_CREDENTIALS = join(PROJECT_ROOT, LAMBDA_CREDENTIALS_MODULE);

/** The build's options as far as its results depend on them: outputs in memory, with a metafile. */
type Build = BuildContext<{ write: false; metafile: true }>;

export class FunctionBundle {
  /** The last build's files, and its inputs when they can tell whether it is still current. */
  private latest: { files: BundleFiles; inputs: BuildInputs | undefined } | undefined;
  private pending: Promise<BundleFiles> | undefined;
  private builds = 0;

  private constructor(
    private readonly build: Build,
    private readonly directory: string,
    private readonly workingDirectory: string,
  ) {}

  /** Prepares the incremental build of `entry` (nothing is built until `files()`). */
  static async create(entry: string): Promise<FunctionBundle> {
    const directory = await mkdtemp(join(tmpdir(), 'tidewatch-function-'));
    const workingDirectory = process.cwd();
    const build = await context({
      entryPoints: { handler: entry, worker: WORKER_SOURCE },
      outdir: directory,
      outExtension: { '.js': '.cjs' },
      // Written by files(), each output under its content hash: a rebuild never rewrites a file that a
      // thread may be loading at that moment.
      write: false,
      // Its inputs tell whether a build is still current.
      metafile: true,
      absWorkingDir: workingDirectory,
      bundle: true,
      platform: 'node',
      // As the Lambda bundles (their reasons there), but for the Node that runs the threads.
      ...functionEsbuildOptions(LAMBDA_CREDENTIALS),
      target: `node${process.versions.node.split('.')[0]}`,
      logLevel: 'silent',
    });
    return new FunctionBundle(build, directory, workingDirectory);
  }

  /**
   * The files to load: the last build's while none of its inputs changed, else a new build's.
   * Concurrent callers share one check (and build). Rejects with BundleError.
   */
  files(): Promise<BundleFiles> {
    this.pending ??= this.current().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** esbuild builds run so far. */
  get buildCount(): number {
    return this.builds;
  }

  private async current(): Promise<BundleFiles> {
    const latest = this.latest;
    if (latest?.inputs && (await latest.inputs.unchanged())) return latest.files;
    const startedAt = Date.now();
    this.builds += 1;
    const result = await this.build.rebuild().catch((error: BuildFailure) => {
      throw bundleError(error);
    });
    const [files, inputs] = await Promise.all([this.writeAll(result), BuildInputs.of(this.workingDirectory, Object.keys(result.metafile.inputs), startedAt)]);
    this.latest = { files, inputs };
    return files;
  }

  private async writeAll({ outputFiles }: BuildResult<{ write: false; metafile: true }>): Promise<BundleFiles> {
    const [worker, handler] = await Promise.all(['worker', 'handler'].map((name) => this.write(outputFiles, name)));
    return { worker, handler, compileCacheDirectory: join(this.directory, 'compile-cache') };
  }

  /**
   * Writes the output `<name>.cjs` as `<name>-<hash>.cjs`, and its source map beside it as
   * `<name>-<hash>.cjs.map`, unless a build wrote that content already.
   */
  private async write(outputFiles: readonly OutputFile[], name: string): Promise<string> {
    const output = outputFile(outputFiles, join(this.directory, `${name}.cjs`));
    const map = outputFile(outputFiles, `${output.path}.map`);
    // esbuild's hash is base64: '/' and '+' cannot be in a file name.
    const file = join(this.directory, `${name}-${output.hash.replace(/[^A-Za-z0-9]/g, '_')}.cjs`);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      // The map first: a bundle that exists has its map.
      await writeAtomically(`${file}.map`, map.contents);
      await writeAtomically(file, output.contents);
    }
    return file;
  }

  async dispose(): Promise<void> {
    await this.pending?.catch(() => undefined);
    await this.build.dispose();
    await rm(this.directory, { recursive: true, force: true });
  }
}

function outputFile(outputFiles: readonly OutputFile[], path: string): OutputFile {
  const output = outputFiles.find((file) => file.path === path);
  if (!output) throw new BundleError(`esbuild produced no ${path}`);
  return output;
}

async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  await writeFile(`${file}.partial`, contents);
  await rename(`${file}.partial`, file);
}

function bundleError(error: BuildFailure): BundleError {
  const errors = (error.errors ?? []).map((failure) => `${failure.location ? `${failure.location.file}:${failure.location.line}: ` : ''}${failure.text}`);
  return new BundleError(errors.length > 0 ? errors.join('; ') : error.message);
}
