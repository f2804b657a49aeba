/**
 * The one synth with real esbuild bundling (the other stack tests skip it for speed): every function's
 * asset is a minified ESM bundle (source map beside it, not linked) that bundles the AWS SDK v3 too (faster cold
 * start than the runtime's copy: bench/coldstart.ts) so only Node built-ins stay external; it loads
 * and exports `handler`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/instrumented-function';
import { resourcesOfType, synthesize, type Json } from './synth';

// Inside the project (cdk.out/ is ignored by git) so the bundles' external imports resolve from
// node_modules when the test loads them.
mkdirSync(path.join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
const synth = synthesize({}, { bundle: true, outdir: mkdtempSync(path.join(PROJECT_ROOT, 'cdk.out', 'test-bundling-')) });
afterAll(() => synth.dispose());

const projectFunctions = Object.values(resourcesOfType(synth.json, 'AWS::Lambda::Function')).filter(
  (r) => r.Metadata?.['Tidewatch:Entry'] !== undefined,
);

/** The asset directory of a function: its `Code.S3Key` is `<asset hash>.zip`. */
function assetDir(fn: Json): string {
  const hash = (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '');
  return path.join(synth.assemblyDir, `asset.${hash}`);
}

/**
 * Optional SDK peers the signer imports lazily, inside a try, only to sign SigV4a requests (S3
 * multi-region access points), which Tidewatch never makes.
 */
const OPTIONAL_SDK_PEERS = new Set(['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a']);

/**
 * Module specifiers a bundle still imports at run time: its import statements (at a statement's start)
 * and dynamic imports of a literal. Text that only looks like one inside a string (ECharts' own "import {
 * BarChart } from 'echarts/charts'" hints, an object key ending in `from`) is not an import.
 */
function externalImports(bundle: string): string[] {
  const statements = [...bundle.matchAll(/(?:^|[;}\n])\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)];
  const dynamic = [...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)];
  return [...statements, ...dynamic].map((m) => m[1]!);
}

describe.each(projectFunctions.map((fn) => [fn.Metadata['Tidewatch:Entry'] as string, fn] as const))('%s', (_entry, fn) => {
  const dir = assetDir(fn);
  const bundlePath = path.join(dir, 'index.mjs');

  it('is an ESM bundle with a source map', () => {
    expect(existsSync(bundlePath)).toBe(true);
    expect(existsSync(path.join(dir, 'index.mjs.map'))).toBe(true);
    expect(readFileSync(bundlePath, 'utf8')).toMatch(/^import\s*\{\s*createRequire\s*\}\s*from\s*["']module["']/);
  });

  it('leaves only Node built-ins external (the AWS SDK is bundled)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const unexpected = externalImports(readFileSync(bundlePath, 'utf8')).filter((s) => !builtins.has(s) && !OPTIONAL_SDK_PEERS.has(s));
    expect(unexpected).toEqual([]);
  });

  it('loads and exports handler', async () => {
    // Handlers may read their environment when loaded: give them the template's (tokens as stand-ins).
    const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
    const saved = { ...process.env };
    for (const [key, value] of Object.entries(variables)) process.env[key] = standIn(key, value);
    try {
      const module = (await import(pathToFileURL(bundlePath).href)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    } finally {
      process.env = saved;
    }
  });
});

/**
 * A template value as a string: literal strings as they are, an `Fn::Join` with each reference as a URL
 * (so JSON written around references, such as JOB_QUEUE_URLS, stays JSON), any other reference as a name.
 */
function standIn(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : 'https://token.test/reference')).join(join[0]);
  return `test-${key}`;
}

it('bundles all eight functions', () => {
  expect(projectFunctions).toHaveLength(8);
});

it('bundled synth passes cdk-nag too', () => {
  expect(synth.violations).toEqual([]);
});
