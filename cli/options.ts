/**
 * Flags: the ones every command takes (which stack, where, how to print) and the shape of a command's
 * own flags, with their help lines. Parsing itself is node:util parseArgs (strict: an unknown flag is a
 * usage error naming it).
 */
import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_STAGE, stackName as tidewatchStackName } from '../contract/naming';
import { UsageError } from './errors';

/** One flag: its parseArgs type, its help line and (for string flags) the value's name in the help. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly valueName?: string;
  /** May be given several times; its value is then the list of them all. @default false */
  readonly multiple?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export type FlagValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

export const COMMON_FLAGS = {
  stack: { type: 'string', valueName: 'name', description: 'stack name (default: $TIDEWATCH_STACK, else Tidewatch-<stage>)' },
  stage: { type: 'string', valueName: 'stage', description: 'stage whose stack Tidewatch-<stage> to use (default: $TIDEWATCH_STAGE, else dev)' },
  'endpoint-url': { type: 'string', valueName: 'url', description: 'AWS-compatible endpoint, e.g. the local cloud http://127.0.0.1:4566 (default: $AWS_ENDPOINT_URL)' },
  region: { type: 'string', valueName: 'region', description: 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1)' },
  json: { type: 'boolean', description: 'print machine-readable JSON (same exit codes)' },
  help: { type: 'boolean', description: 'show help' },
} as const satisfies FlagSpecs;

/** Where the CLI works: one stack, in one region, through AWS or another endpoint. */
export interface Target {
  readonly stackName: string;
  readonly region: string;
  /** Set when requests go to an endpoint other than AWS's (the local cloud). */
  readonly endpoint?: string;
}

export const DEFAULT_REGION = 'us-east-1';

/** The bounds of `--max` for the commands that list so many per queue (dlq peek, redrive history). */
export const PER_QUEUE_MAX = { min: 1, max: 100, default: 10 } as const;

/** The target from the common flags, then the environment, then the defaults. */
export function resolveTarget(values: FlagValues, env: NodeJS.ProcessEnv): Target {
  const stack = stringFlag(values, 'stack');
  const stage = stringFlag(values, 'stage');
  if (stack !== undefined && stage !== undefined) throw new UsageError('--stack and --stage name the stack twice: give one of them');
  if (stage !== undefined && !/^[A-Za-z0-9-]+$/.test(stage)) throw new UsageError(`--stage must be letters, digits and dashes, got ${JSON.stringify(stage)}`);
  // A flag wins over the environment, so `--stage local` works in a shell with TIDEWATCH_STACK set.
  const stackName = stack ?? (stage !== undefined ? tidewatchStackName(stage) : nonEmpty(env.TIDEWATCH_STACK) ?? tidewatchStackName(nonEmpty(env.TIDEWATCH_STAGE) ?? DEFAULT_STAGE));
  const region = stringFlag(values, 'region') ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION;
  const endpoint = stringFlag(values, 'endpoint-url') ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (endpoint !== undefined && !/^https?:$/.test(URL.canParse(endpoint) ? new URL(endpoint).protocol : '')) {
    throw new UsageError(`--endpoint-url must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  return { stackName, region, ...(endpoint !== undefined ? { endpoint } : {}) };
}

/** parseArgs' option config for a set of flag specs. */
export function parseArgsOptions(specs: FlagSpecs): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) }]));
}

/** Help lines for flags, aligned: `  --max <n>   how many ...`. */
export function flagHelp(specs: FlagSpecs): string[] {
  const entries = Object.entries(specs).map(([name, spec]) => [`--${name}${spec.valueName ? ` <${spec.valueName}>` : ''}`, spec.description] as const);
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}   ${description}`);
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a flag declared `multiple` (none when absent). */
export function stringListFlag(values: FlagValues, name: string): readonly string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** An integer flag within bounds, or its default when absent. */
export function integerFlag(values: FlagValues, name: string, bounds: { min: number; max: number; default: number }, commandPath: string): number {
  const raw = stringFlag(values, name);
  if (raw === undefined) return bounds.default;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < bounds.min || value > bounds.max) {
    throw new UsageError(`--${name} must be a whole number from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(raw)}`, commandPath);
  }
  return value;
}

/** An integer flag within bounds, or undefined when absent. */
export function optionalIntegerFlag(values: FlagValues, name: string, bounds: { min: number; max: number }, commandPath: string): number | undefined {
  return stringFlag(values, name) === undefined ? undefined : integerFlag(values, name, { ...bounds, default: bounds.min }, commandPath);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
