/**
 * Stack traces that name the TypeScript sources, as `--enable-source-maps` writes them on Lambda, with a
 * bundle's source map read when a stack first shows one of its frames. Node's own support decodes and
 * parses the map of every module as it loads, and measures every line of the module: about a third of
 * a function's module load here, paid by every execution environment, most of which never format a stack.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Formats every stack of this thread with the frames of `bundles` (file URLs, each map at `<file>.map`) mapped to their sources. */
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
    const payload = JSON.parse(readFileSync(`${fileURLToPath(file)}.map`, 'utf8')) as SourceMapPayload;
    // Sources are relative to the map, as Node resolves them.
    return new SourceMap({ ...payload, sources: payload.sources.map((source) => new URL(source, `${file}.map`).href) });
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
