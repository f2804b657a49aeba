/**
 * Synthesizes the Tidewatch app once for a test file (esbuild bundling skipped unless asked for) and
 * gives the template, the stack and the cdk-nag validation report of that one synth.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '../../lib/app';
import type { TidewatchStack } from '../../lib/tidewatch-stack';

export type Json = Record<string, any>;

export interface ValidationViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: { constructPath: string }[];
}

export interface Synthesized {
  readonly stack: TidewatchStack;
  readonly template: Template;
  /** The template as plain JSON. */
  readonly json: Json;
  /** Directory of the cloud assembly. */
  readonly assemblyDir: string;
  /** Every violation any validation plugin (cdk-nag) reported and nobody acknowledged. */
  readonly violations: ValidationViolation[];
  /** Removes the cloud assembly. */
  dispose(): void;
}

export interface SynthesizeOptions {
  /** Run esbuild for every function. @default false */
  readonly bundle?: boolean;
  /** Where to write the assembly. @default a new directory under the OS temp dir */
  readonly outdir?: string;
  /** Adds constructs to the stack before synthesis (e.g. a deliberate finding). */
  readonly extend?: (stack: TidewatchStack) => void;
}

export function synthesize(context: Record<string, unknown> = {}, options: SynthesizeOptions = {}): Synthesized {
  const outdir = options.outdir ?? mkdtempSync(path.join(tmpdir(), 'tidewatch-synth-'));
  const bundlingContext = options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  const { app, stack } = createApp({ context: { ...bundlingContext, ...context }, outdir });
  options.extend?.(stack);
  const assembly = app.synth();
  const json = assembly.getStackArtifact(stack.artifactId).template as Json;
  const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: ValidationViolation[] }[];
  };
  return {
    stack,
    template: Template.fromJSON(json),
    json,
    assemblyDir: assembly.directory,
    violations: report.pluginReports.flatMap((plugin) => plugin.violations),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The logical ID of a construct's CloudFormation resource (its default child, or itself). */
function logicalId(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(element);
}

/** CloudFormation references to a construct's resource: its logical ID, `Ref` and `Fn::GetAtt .Arn`. */
export function references(stack: Stack) {
  const id = (construct: IConstruct) => logicalId(stack, construct);
  return {
    id,
    ref: (construct: IConstruct) => ({ Ref: id(construct) }),
    arn: (construct: IConstruct) => ({ 'Fn::GetAtt': [id(construct), 'Arn'] }),
  };
}

/** The IAM statements attached to the role of the function with this logical ID. */
export function roleStatements(json: Json, functionLogicalId: string): Json[] {
  const roleId = json.Resources[functionLogicalId].Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(json.Resources as Record<string, Json>)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: Json) => ref.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[]);
}

/** Resources of one type, by logical ID. */
export function resourcesOfType(json: Json, type: string): Record<string, Json> {
  return Object.fromEntries(Object.entries(json.Resources as Record<string, Json>).filter(([, r]) => r.Type === type));
}

/** A value that may be a single item or a list, as a list. */
export function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
