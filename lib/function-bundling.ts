/**
 * How every function's code is bundled, in one place: for Lambda by NodejsFunction
 * (`instrumented-function.ts`) and for the local cloud's execution environments
 * (`local/runtime/function-bundle.ts`), so a function loads the same code in both.
 * The reasons, each measured by bench/coldstart.ts:
 * - CommonJS, although the sources and the SDK are ES modules (esbuild tree-shakes them all the same): an
 *   ES module bundle imports Node's built-ins as ES modules, and building their facades runs every lazy
 *   getter (node:http's loads undici, the fetch implementation no handler uses), a third of an API
 *   handler's cold start. CommonJS requires them; with dynamic import off, the SDK's lazy
 *   `import('node:http')` becomes a require() too.
 * - Whitespace and syntax minified, identifiers kept: readable stack traces, and Powertools' batch
 *   processor compares its constructor's name.
 * - The source map beside the bundle without a sourceMappingURL comment. With one and
 *   `--enable-source-maps`, Node reads and parses the map at load (20-40 ms of every cold start); the
 *   function reads it itself when a stack is first formatted (handlers/shared/lazy-source-maps.ts).
 * - Every SDK client's default credential chain becomes the Lambda one (environment, then the container
 *   endpoint): the default chain's other providers and the STS and SSO clients they call were about a
 *   quarter of an API handler's bundle.
 * - The ES module builds of the SDK and Powertools (`module` first): only they can be tree-shaken.
 */
import type { BuildOptions } from 'esbuild';

/** The credential chain every bundle's SDK clients use, relative to the project root. */
export const LAMBDA_CREDENTIALS_MODULE = 'handlers/shared/lambda-credentials.ts';
export const DEFAULT_CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';

/** The esbuild options of a function bundle; `credentialsModule` is the path esbuild resolves the chain from. */
export function functionEsbuildOptions(credentialsModule: string) {
  return {
    format: 'cjs',
    supported: { 'dynamic-import': false },
    minifyWhitespace: true,
    minifySyntax: true,
    alias: { [DEFAULT_CREDENTIAL_CHAIN]: credentialsModule },
    mainFields: ['module', 'main'],
    sourcemap: 'external',
    sourcesContent: false,
  } as const satisfies BuildOptions;
}
