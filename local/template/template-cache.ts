/**
 * Remembers the last synthesized local template under `.tidewatch/`, keyed by a hash of everything
 * synthesis reads (the app's sources, cdk.json, the lockfile, the context). An unchanged project
 * starts without loading CDK at all; any change to those inputs synthesizes again.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { SynthesizedStack } from './model';

/** What the app's synthesis can read: its sources (stack code imports handlers' shared modules and dashboards). */
const SOURCE_DIRECTORIES = ['bin', 'lib', 'handlers', 'dashboards', 'runbooks'];
const SOURCE_FILES = ['cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];

interface CachedTemplate extends SynthesizedStack {
  readonly key: string;
}

export async function templateCacheKey(projectRoot: string, context: unknown): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(context));
  const files = [...SOURCE_FILES, ...(await Promise.all(SOURCE_DIRECTORIES.map((directory) => listFiles(projectRoot, directory)))).flat()].sort();
  for (const file of files) {
    const content = await readFile(path.join(projectRoot, file)).catch(() => Buffer.alloc(0));
    hash.update(file).update('\0').update(content).update('\0');
  }
  return hash.digest('hex');
}

export async function readCachedTemplate(file: string, key: string): Promise<SynthesizedStack | undefined> {
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as CachedTemplate;
    return cached.key === key ? { stackName: cached.stackName, template: cached.template } : undefined;
  } catch {
    return undefined; // absent or unreadable: synthesize
  }
}

export async function writeCachedTemplate(file: string, key: string, stack: SynthesizedStack): Promise<void> {
  const cached: CachedTemplate = { key, ...stack };
  // Written aside, then renamed: a concurrent start never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify(cached));
  await rename(partial, file);
}

async function listFiles(root: string, directory: string): Promise<string[]> {
  const entries = await readdir(path.join(root, directory), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}
