/**
 * Synthesizes the same app `cdk synth` does, for a local stage, and returns its template: the local
 * cloud is driven by it, never by a second hand-written wiring.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { CfnTemplate, SynthesizedStack } from './model';
import { readCachedTemplate, templateCacheKey, writeCachedTemplate } from './template-cache';

export interface SynthesizeTemplateOptions {
  /** @default 'local' */
  readonly stage?: string;
  /** Extra CDK context; a `tidewatch` object here is merged under `{stage}`. @default {} */
  readonly context?: Record<string, unknown>;
  /** Root of the project; the cloud assembly goes to a fresh `<projectRoot>/.tidewatch/cdk.out-*` directory. @default process.cwd() */
  readonly projectRoot?: string;
  /** Reuse the last template when no input of synthesis changed (see template-cache.ts). @default true */
  readonly cache?: boolean;
}

export async function synthesizeTemplate(options: SynthesizeTemplateOptions = {}): Promise<SynthesizedStack> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const { tidewatch, ...extra } = options.context ?? {};
  const context = {
    ...extra,
    tidewatch: { ...(tidewatch as Record<string, unknown> | undefined), stage: options.stage ?? 'local' },
    // No esbuild bundling: the local cloud runs each function from its TypeScript source.
    'aws:cdk:bundling-stacks': [],
  };
  const cacheFile = path.join(projectRoot, '.tidewatch', cacheFileName(options.context));
  const key = options.cache === false ? undefined : await templateCacheKey(projectRoot, context);
  const cached = key && (await readCachedTemplate(cacheFile, key));
  if (cached) return cached;

  // A cloud assembly of its own: CDK reads the template back from disk, so two syntheses sharing one
  // directory (test files with different context, in parallel) could read each other's template.
  await mkdir(path.join(projectRoot, '.tidewatch'), { recursive: true });
  const outdir = await mkdtemp(path.join(projectRoot, '.tidewatch', 'cdk.out-'));
  let synthesized: SynthesizedStack;
  try {
    // Imported lazily: CDK is only loaded when a template must be synthesized.
    const { createApp } = await import('../../lib/app');
    const { app, stack } = createApp({ context, outdir });
    const artifact = app.synth().getStackByName(stack.stackName);
    synthesized = { stackName: stack.stackName, template: artifact.template as CfnTemplate };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
  if (key) await writeCachedTemplate(cacheFile, key, synthesized);
  return synthesized;
}

/**
 * One cache slot per extra context (`npm start` has none), so that runs with different settings (the
 * scenario tests, the benchmark's two clouds) do not keep replacing each other's template.
 */
function cacheFileName(extraContext: Record<string, unknown> | undefined): string {
  if (extraContext === undefined || Object.keys(extraContext).length === 0) return 'local-template.json';
  return `local-template-${createHash('sha256').update(JSON.stringify(extraContext)).digest('hex').slice(0, 16)}.json`;
}
