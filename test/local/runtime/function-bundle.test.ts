import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionBundle } from '../../../local/runtime/function-bundle';

const bundles: FunctionBundle[] = [];

async function bundleOf(entry: string): Promise<FunctionBundle> {
  const bundle = await FunctionBundle.create(entry);
  bundles.push(bundle);
  return bundle;
}

afterEach(async () => {
  await Promise.all(bundles.splice(0).map((bundle) => bundle.dispose()));
});

describe('FunctionBundle', () => {
  it('builds once for concurrent and later cold starts while no source changes', async () => {
    // Sources written long before the test: nothing is being edited while the bundle builds.
    const bundle = await bundleOf(fileURLToPath(new URL('./fixtures/handlers.ts', import.meta.url)));
    const concurrent = await Promise.all([bundle.files(), bundle.files(), bundle.files()]);
    const later = await bundle.files();
    expect(new Set([...concurrent, later].map((files) => files.handler)).size).toBe(1);
    expect(bundle.buildCount).toBe(1);
  });

  it('writes each bundle\'s source map beside it, not inline, for the worker to read when a stack needs it', async () => {
    const bundle = await bundleOf(fileURLToPath(new URL('./fixtures/handlers.ts', import.meta.url)));
    const files = await bundle.files();
    for (const file of [files.worker, files.handler]) expect(readFileSync(file, 'utf8')).not.toContain('sourceMappingURL');
    expect((JSON.parse(readFileSync(`${files.handler}.map`, 'utf8')) as { sources: string[] }).sources).toContainEqual(expect.stringMatching(/fixtures\/handlers\.ts$/));
    expect((JSON.parse(readFileSync(`${files.worker}.map`, 'utf8')) as { sources: string[] }).sources).toContainEqual(expect.stringMatching(/function-worker\.ts$/));
  });

  it('bundles with the Lambda credential chain, as the Lambda bundles do, not the SDK\'s default one', async () => {
    const bundle = await bundleOf(fileURLToPath(new URL('../../../handlers/job-status/index.ts', import.meta.url)));
    const { sources } = JSON.parse(readFileSync(`${(await bundle.files()).handler}.map`, 'utf8')) as { sources: string[] };
    expect(sources).toContainEqual(expect.stringMatching(/handlers\/shared\/lambda-credentials\.ts$/));
    expect(sources.filter((source) => /credential-provider-(node|ini|sso)\//.test(source))).toEqual([]);
  });

  it('rebuilds when a source the entry imports changes, and the new files hold the edit', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tidewatch-source-'));
    const entry = join(directory, 'entry.ts');
    const greeting = join(directory, 'greeting.ts');
    writeFileSync(entry, "import { greeting } from './greeting';\nexport const handler = async () => greeting;\n");
    writeFileSync(greeting, "export const greeting = 'hello';\n");
    const bundle = await bundleOf(entry);
    const before = await bundle.files();
    const buildsBefore = bundle.buildCount;

    writeFileSync(greeting, "export const greeting = 'hello again';\n");
    const after = await bundle.files();
    expect(bundle.buildCount).toBe(buildsBefore + 1);
    expect(after.handler).not.toBe(before.handler);
    expect(readFileSync(after.handler, 'utf8')).toContain('hello again');
    // The previous files stay for the environments still running them.
    expect(readFileSync(before.handler, 'utf8')).not.toContain('hello again');
  });
});
