/**
 * The two pipelines the cost benchmark compares, each a template the local cloud runs and a way to
 * tell, from its functions' output, that an item is done (or went wrong): Tidewatch's EMF metrics, the
 * naive pipeline's one log line per item.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG } from '../../lib/config';
import { parseEmfLine } from '../../local/cloudwatch/emf';
import type { SynthesizedStack } from '../../local/template/model';
import { synthesizeTemplate } from '../../local/template/synthesize';
import { NaiveStack } from '../naive/naive-stack';

export type Phase = 'files' | 'jobs';

/** What one line of function output says: items done, or a failure that ends the run. */
export interface LineVerdict {
  readonly done?: { readonly phase: Phase; readonly count: number };
  readonly failure?: string;
}

export interface Pipeline {
  readonly name: 'tidewatch' | 'naive';
  readonly description: string;
  synthesize(): Promise<SynthesizedStack>;
  readLine(line: string): LineVerdict;
}

/** Memory of Tidewatch's API handlers (InstrumentedFunction's default) and of its workers (config). */
const API_MEMORY_MIB = 256;

export const TIDEWATCH: Pipeline = {
  name: 'tidewatch',
  description: 'the defaults: batch 10, window 1 s, idempotency, status items, EMF, tracing',
  synthesize: () => synthesizeTemplate(),
  readLine(line) {
    let verdict: LineVerdict = {};
    for (const { metric, datapoint } of parseEmfLine(line)) {
      const total = (datapoint.values ?? []).reduce((sum, value, index) => sum + value * (datapoint.counts?.[index] ?? 1), 0);
      if (metric.metricName === 'FilesProcessed') verdict = { done: { phase: 'files', count: total } };
      else if (metric.metricName === 'JobsSucceeded') verdict = { done: { phase: 'jobs', count: total } };
      else if (['FilesRejected', 'FilesDuplicate', 'JobsFailed', 'DeadLettered'].includes(metric.metricName) && total > 0) verdict = { failure: `${metric.metricName} ${total}` };
    }
    return verdict;
  },
};

export const NAIVE: Pipeline = {
  name: 'naive',
  description: 'the seeds\' way: batch 1, one PutItem per item, no idempotency, tracing or EMF, one log line per item',
  async synthesize() {
    const outdir = await mkdtemp(path.join(tmpdir(), 'tidewatch-naive-'));
    try {
      // No esbuild bundling: the local cloud runs each function from its TypeScript source.
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      const { files, jobs } = DEFAULT_CONFIG.workQueues;
      const stack = new NaiveStack(app, 'Naive-pipeline', {
        memoryMiB: { presign: API_MEMORY_MIB, submitJob: API_MEMORY_MIB, fileWorker: files!.workerMemoryMiB, jobWorker: jobs!.workerMemoryMiB },
      });
      return { stackName: stack.stackName, template: app.synth().getStackByName(stack.stackName).template as SynthesizedStack['template'] };
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  },
  readLine(line) {
    if (!line.startsWith('{')) return {};
    const { message } = JSON.parse(line) as { message?: string };
    if (message === 'file processed') return { done: { phase: 'files', count: 1 } };
    if (message === 'job processed') return { done: { phase: 'jobs', count: 1 } };
    return {};
  },
};
