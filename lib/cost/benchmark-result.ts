/**
 * The last cost benchmark's result (`bench/cost.ts` writes it, `tidewatch cost` reads it): dollars per
 * million items for Tidewatch and for the naive pipeline of the same run, by service.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';

/** Kept in the repository, so `tidewatch cost` shows the figure of the run the README quotes. */
export const BENCHMARK_RESULT_FILE = path.join(PROJECT_ROOT, 'bench', 'results', 'cost.json');

export interface PipelineCost {
  /** Dollars per million items (files and jobs half and half), every service together. */
  readonly usdPerMillionItems: number;
  /** The same, by service (`Lambda requests`, `Lambda duration`, `SQS`, `DynamoDB`, `S3`, `API Gateway`, `CloudWatch Logs`, `X-Ray`). */
  readonly usdPerMillionItemsByService: Readonly<Record<string, number>>;
  /** AWS requests per item by `<service> <action>`, for files and for jobs. */
  readonly requestsPerItem: { readonly files: Readonly<Record<string, number>>; readonly jobs: Readonly<Record<string, number>> };
  /**
   * Per function, per item of the phase that runs it: invocations, GB-seconds (init included) and log
   * bytes; with the share of its billed time spent in init and its cold starts over the phase.
   */
  readonly functionsPerItem: Readonly<Record<string, { readonly invocations: number; readonly gbSeconds: number; readonly initShare: number; readonly coldStarts: number; readonly logBytes: number }>>;
}

export interface CostBenchmarkResult {
  /** ISO date-time of the run. */
  readonly ranAt: string;
  readonly files: number;
  readonly jobs: number;
  /** The price table's date (contract/prices.ts). */
  readonly pricesAsOf: string;
  readonly tidewatch: PipelineCost;
  readonly naive: PipelineCost;
  /** Tidewatch's dollars per million items over the naive pipeline's. */
  readonly ratio: number;
}

/** The stored result, or undefined when no benchmark has run yet. */
export async function readBenchmarkResult(file = BENCHMARK_RESULT_FILE): Promise<CostBenchmarkResult | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CostBenchmarkResult;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
