/**
 * The one synth with real esbuild bundling (the other stack tests skip it for speed): every function's
 * asset is a minified CommonJS bundle (source map beside it, not linked; CommonJS so Node's built-ins are
 * required, not imported through their costly ES module facades: bench/coldstart.ts) that bundles the AWS
 * SDK v3 too (faster cold start than the runtime's copy) so only Node built-ins stay external; it loads
 * as the Lambda runtime loads it and exports `handler`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project';
import { resourcesOfType, synthesize, type Json } from './synth';

// Inside the project (cdk.out/ is ignored by git) so the bundles' external imports resolve from
// node_modules when the test loads them. The project is "type": "module"; the assembly gets a package.json
// of its own so a bundle's index.js is CommonJS there, as in Lambda's task root, which has none.
mkdirSync(path.join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(path.join(PROJECT_ROOT, 'cdk.out', 'test-bundling-'));
writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
const synth = synthesize({}, { bundle: true, outdir });
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

/** Sources only the SDK's default credential chain brings: its Node entry, its other providers, the STS and SSO clients they call. */
const DEFAULT_CHAIN_ONLY =
  /node_modules\/(@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|login)|nested-clients|token-providers)|@smithy\/credential-provider-imds)\//;

/**
 * Module specifiers a bundle still loads at run time: its require() calls of a literal, and any import
 * statement (at a statement's start) or dynamic import of a literal. Text that only looks like one inside
 * a string (ECharts' own "import { BarChart } from 'echarts/charts'" hints, an object key ending in
 * `from`) is not an import.
 */
function externalImports(bundle: string): string[] {
  const required = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
  return [...moduleImports(bundle), ...required];
}

/** What a bundle loads as an ES module: import statements (at a statement's start) and dynamic imports of a literal. */
function moduleImports(bundle: string): string[] {
  const statements = [...bundle.matchAll(/(?:^|[;}\n])\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)];
  const dynamic = [...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)];
  return [...statements, ...dynamic].map((m) => m[1]!);
}

describe.each(projectFunctions.map((fn) => [fn.Metadata['Tidewatch:Entry'] as string, fn] as const))('%s', (_entry, fn) => {
  const dir = assetDir(fn);
  const bundlePath = path.join(dir, 'index.js');

  it('is a CommonJS bundle with a source map, importing nothing as an ES module', () => {
    expect(existsSync(bundlePath)).toBe(true);
    expect(existsSync(path.join(dir, 'index.js.map'))).toBe(true);
    expect(moduleImports(readFileSync(bundlePath, 'utf8'))).toEqual([]);
  });

  it('leaves only Node built-ins external (the AWS SDK is bundled)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const unexpected = externalImports(readFileSync(bundlePath, 'utf8')).filter((s) => !builtins.has(s) && !OPTIONAL_SDK_PEERS.has(s));
    expect(unexpected).toEqual([]);
  });

  it("carries only the zod it uses: no locale but English, zod's default messages", () => {
    // `import { z } from 'zod'` (zod's namespace object, as the Powertools parser's modules import it) defeats
    // esbuild's tree shaking and brings all of zod, every locale included, into the cold start.
    const { sources } = JSON.parse(readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as { sources: string[] };
    const locales = sources.filter((source) => source.includes('node_modules/zod/v4/locales/'));
    expect(locales.filter((source) => !source.endsWith('/locales/en.js'))).toEqual([]);
  });

  it("resolves credentials with the Lambda chain only: none of the default chain's other providers or the clients they call", () => {
    const { sources } = JSON.parse(readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as { sources: string[] };
    expect(sources.some((source) => source.endsWith('handlers/shared/lambda-credentials.ts'))).toBe(true);
    expect(sources.filter((source) => DEFAULT_CHAIN_ONLY.test(source))).toEqual([]);
  });

  /** Handlers may read their environment when loaded: the template's (tokens as stand-ins). */
  const templateEnvironment = () =>
    Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([key, value]) => [key, standIn(key, value)]));

  it('names the sources in the stack traces it logs on Lambda, from the map beside it', () => {
    // A failed invocation in a fresh process, as in a Lambda environment (LAMBDA_TASK_ROOT set) and, as
    // the control, elsewhere: a context that throws when read fails it from inside the bundle.
    const failedStack = (lambda: boolean) => {
      const child = spawnSync(process.execPath, ['-e', FAILED_INVOCATION_STACK, bundlePath], {
        env: { PATH: process.env.PATH, ...templateEnvironment(), ...(lambda ? { LAMBDA_TASK_ROOT: dir } : {}) },
        encoding: 'utf8',
      });
      expect(child.status, child.stderr).toBe(0);
      return child.stdout;
    };
    const bundleFrame = `(${bundlePath}:`;
    const sourceFrame = /\(\/.*[\\/]node_modules[\\/].+:\d+:\d+\)/;
    const elsewhere = failedStack(false);
    expect(elsewhere).toContain(bundleFrame);
    const onLambda = failedStack(true);
    expect(onLambda).not.toContain(bundleFrame);
    expect(onLambda).toMatch(sourceFrame);
  });

  it('loads and exports handler', () => {
    const saved = { ...process.env };
    Object.assign(process.env, templateEnvironment());
    try {
      // As the Lambda runtime loads a CommonJS handler.
      const module = createRequire(import.meta.url)(bundlePath) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    } finally {
      process.env = saved;
    }
  });
});

/** Loads the bundle (argv[1]) as the Lambda runtime does, invokes it with a context that throws when read and prints the error's stack. */
const FAILED_INVOCATION_STACK = `
const { handler } = require(process.argv[1]);
const unreadable = new Proxy({}, { get() { throw new Error('context unreadable'); } });
Promise.resolve()
  .then(() => handler({}, unreadable))
  .then((result) => { console.error('no failure: ' + JSON.stringify(result)); process.exit(1); }, (error) => process.stdout.write(String(error.stack)));
`;

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
