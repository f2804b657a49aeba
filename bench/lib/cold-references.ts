/**
 * The cold-start floor: reference handlers that add, one step at a time, the libraries every Tidewatch
 * function must keep (Powertools logger, metrics, tracer, a traced DynamoDB client), bundled by the
 * functions' own construct (`InstrumentedFunction`: the same esbuild options, aliases and runtime) in a
 * stack of their own, so the benchmark can tell what the libraries cost from what the functions add.
 */
import { Stack, type App } from 'aws-cdk-lib';
import type { TidewatchConfig } from '../../lib/config';
import { InstrumentedFunction } from '../../lib/instrumented-function';

export interface ReferenceStep {
  /** Its file under bench/coldstart-references/, and its name in the benchmark's tables. */
  readonly name: string;
  readonly label: string;
  /** What its output must show: a JSON INFO log line, the ColdStart EMF metric, a trace segment. */
  readonly logs: boolean;
  readonly metrics: boolean;
  readonly traces: boolean;
}

export const REFERENCE_STEPS: readonly ReferenceStep[] = [
  { name: 'logger', label: 'b. + Powertools logger, one INFO line', logs: true, metrics: false, traces: false },
  { name: 'metrics', label: 'c. + metrics: ColdStart and one metric flushed', logs: true, metrics: true, traces: false },
  { name: 'tracer', label: 'd. + tracer: captureLambdaHandler (X-Ray SDK)', logs: true, metrics: true, traces: true },
  { name: 'floor', label: 'e. + traced DynamoDB document client, one GetItem (the floor)', logs: true, metrics: true, traces: true },
];

/** The last step: the least a Tidewatch API handler with its required libraries can be. */
export const FLOOR = 'floor';

/** The Powertools service name a step's handler logs, measures and traces as. */
export const referenceService = (name: string) => `reference-${name}`;

/** Adds the reference handlers to `app`, in a stack of their own. */
export function addReferenceStack(app: App, config: Pick<TidewatchConfig, 'stage' | 'logLevel'>): Stack {
  const stack = new Stack(app, 'TidewatchColdStartReferences');
  for (const step of REFERENCE_STEPS) {
    new InstrumentedFunction(stack, step.name, { name: referenceService(step.name), entry: `bench/coldstart-references/${step.name}.ts`, config });
  }
  return stack;
}
