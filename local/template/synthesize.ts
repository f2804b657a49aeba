/**
 * Synthesizes the same app `cdk synth` does, for a local stage, and returns its template: the local
 * cloud is driven by it, never by a second hand-written wiring.
 */
import * as path from 'node:path';
import type { CfnTemplate, SynthesizedStack } from './model';

export interface SynthesizeTemplateOptions {
  /** @default 'local' */
  readonly stage?: string;
  /** Extra CDK context; a `tidewatch` object here is merged over `{stage}`. @default {} */
  readonly context?: Record<string, unknown>;
  /** Root of the project; the cloud assembly goes to `<projectRoot>/.tidewatch/cdk.out`. @default process.cwd() */
  readonly projectRoot?: string;
}

export async function synthesizeTemplate(options: SynthesizeTemplateOptions = {}): Promise<SynthesizedStack> {
  const stage = options.stage ?? 'local';
  const projectRoot = options.projectRoot ?? process.cwd();
  const { tidewatch, ...context } = options.context ?? {};
  // Imported lazily: CDK is only needed when no template was handed in.
  const { createApp } = await import('../../lib/app');
  const { app, stack } = createApp({
    context: {
      ...context,
      tidewatch: { ...(tidewatch as Record<string, unknown> | undefined), stage },
      // No esbuild bundling: the local cloud runs each function from its TypeScript source.
      'aws:cdk:bundling-stacks': [],
    },
    outdir: path.join(projectRoot, '.tidewatch', 'cdk.out'),
  });
  const artifact = app.synth().getStackByName(stack.stackName);
  return { stackName: stack.stackName, template: artifact.template as CfnTemplate };
}
