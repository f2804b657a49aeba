/**
 * Stack traces that name the TypeScript sources, as `--enable-source-maps` writes them, with a bundle's
 * source map read when a stack first shows one of its frames. Node's own support decodes and parses the
 * map of every module as it loads (a linked map is 20-40 ms of a Lambda cold start: bench/coldstart.ts),
 * paid by every execution environment, most of which never format a stack. Node maps no frame by
 * itself once the map is read: this formats the frames as Node's mapped ones read.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The bundle a function's asset holds (`index.handler`, CommonJS), its map beside it. */
const LAMBDA_BUNDLE = 'index.js';

/**
 * On Lambda (LAMBDA_TASK_ROOT set by the runtime), maps the stacks of the function's bundle with the
 * map beside it. Elsewhere (tests, the local cloud, which maps its own) it changes nothing.
 */
export function mapLambdaStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  const taskRoot = env.LAMBDA_TASK_ROOT;
  if (taskRoot) mapStackTraces([path.join(taskRoot, LAMBDA_BUNDLE)]);
}

/**
 * Formats every stack of this thread with the frames of `bundles` mapped to their sources: each a file
 * URL (an ES module's frames) or a path (a CommonJS module's), its map at `<bundle>.map`.
 */
export function mapStackTraces(bundles: readonly string[]): void {
  const maps = new Map<string, SourceMap | null | undefined>(bundles.map((bundle) => [bundle, undefined]));
  const mapOf = (file: string | null | undefined): SourceMap | undefined => {
    if (!file || !maps.has(file)) return undefined;
    let map = maps.get(file);
    if (map === undefined) {
      map = readMap(file);
      maps.set(file, map);
    }
    return map ?? undefined;
  };
  Error.prepareStackTrace = (error: Error, callSites: NodeJS.CallSite[]) =>
    [header(error), ...callSites.map((site) => `    at ${frame(site, mapOf(site.getFileName()))}`)].join('\n');
}

/** The map beside the bundle, or null when it cannot be read (the frames then stay as they are). */
function readMap(file: string): SourceMap | null {
  try {
    const mapUrl = `${file.startsWith('file:') ? file : pathToFileURL(file).href}.map`;
    const payload = JSON.parse(readFileSync(new URL(mapUrl), 'utf8')) as SourceMapPayload;
    // Sources are relative to the map, as Node resolves them.
    return new SourceMap({ ...payload, sources: payload.sources.map((source) => new URL(source, mapUrl).href) });
  } catch {
    return null;
  }
}

function header(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/** One frame as Node writes a mapped one (`async `/`new `, `Type.name`, the source path, 1-based line and column). */
function frame(site: NodeJS.CallSite, map: SourceMap | undefined): string {
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!map || line === null || column === null) return String(site);
  const entry = map.findEntry(line - 1, column - 1);
  if (!('originalSource' in entry)) return String(site);
  const enclosing = map.findEntry((site.getEnclosingLineNumber() ?? line) - 1, (site.getEnclosingColumnNumber() ?? column) - 1);
  const name = ('name' in enclosing && enclosing.name) || site.getFunctionName() || site.getMethodName() || '<anonymous>';
  const typeName = site.getTypeName();
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
  return `${prefix}${typeName !== null && typeName !== 'global' ? `${typeName}.` : ''}${name} (${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
}
