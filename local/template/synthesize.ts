/**
 * Synthesizes the same app `cdk synth` does, for a local stage, and returns its template: the local
 * cloud is driven by it, never by a second hand-written wiring.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { CfnTemplate, SynthesizedStack } from './model';
import { readCachedTemplate, templateCacheKey, writeCachedTemplate } from './template-cache';

export interface SynthesizeTemplateOptions {
  /** @default 'local' */
  readonly stage?: string;
  /** Extra CDK context; a `tidewatch` object here is merged under `{stage}`. @default {} */
  readonly context?: Record<string, unknown>;
  /** Root of the project; the cloud assembly goes to `<projectRoot>/.tidewatch/cdk.out`. @default process.cwd() */
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
  const outdir = path.join(projectRoot, '.tidewatch', 'cdk.out');
  const cacheFile = path.join(projectRoot, '.tidewatch', 'local-template.json');
  const key = options.cache === false ? undefined : await templateCacheKey(projectRoot, context);
  const cached = key && (await readCachedTemplate(cacheFile, key));
  if (cached) return cached;

  // Imported lazily: CDK is only loaded when a template must be synthesized.
  const { createApp } = await import('../../lib/app');
  const { app, stack } = createApp({ context, outdir });
  const artifact = app.synth().getStackByName(stack.stackName);
  const synthesized: SynthesizedStack = { stackName: stack.stackName, template: artifact.template as CfnTemplate };
  if (key) {
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeCachedTemplate(cacheFile, key, synthesized);
  }
  return synthesized;
}
