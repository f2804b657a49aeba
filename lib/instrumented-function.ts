/**
 * One project Lambda built from `handlers/<name>/index.ts` with the house defaults: nodejs24.x on arm64,
 * esbuild (`function-bundling.ts`), active tracing, the Powertools
 * variables every handler reads, its own log group with a retention, and a role with no managed policy.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../contract/env';
import { METRICS_NAMESPACE } from '../contract/metrics';
import type { TidewatchConfig } from './config';
import { DEFAULT_CREDENTIAL_CHAIN, functionEsbuildOptions, LAMBDA_CREDENTIALS_MODULE } from './function-bundling';
import { acknowledge } from './nag';
import { ENTRY_METADATA_KEY, HANDLER_METADATA_KEY, PROJECT_ROOT } from './project';


/** The exported handler name every `handlers/<name>/index.ts` provides. */
const HANDLER_EXPORT = 'handler';

export interface InstrumentedFunctionProps {
  /** Folder under `handlers/` and the function's Powertools service name, e.g. `file-worker`. */
  readonly name: string;
  /**
   * The entry, relative to the project root, when it is not the function's own (the cold-start benchmark's
   * reference handlers, bundled exactly as the functions are). @default `handlers/<name>/index.ts`
   */
  readonly entry?: string;
  /** Stage (`TIDEWATCH_STAGE`) and handler log level (`POWERTOOLS_LOG_LEVEL`). */
  readonly config: Pick<TidewatchConfig, 'stage' | 'logLevel'>;
  /** Function-specific variables of the environment contract (names from `ENV`). @default - only the common variables */
  readonly environment?: Record<string, string>;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Memory in MiB. @default 256 */
  readonly memorySize?: number;
  /** How long the function's logs are kept. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

export class InstrumentedFunction extends Construct {
  /** Path of the entry relative to the repository root, e.g. `handlers/presign/index.ts`. */
  readonly entry: string;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InstrumentedFunctionProps) {
    super(scope, id);
    this.entry = props.entry ?? `handlers/${props.name}/index.ts`;

    // An explicit log group (instead of the LogRetention custom resource) so retention is a plain
    // property and the role needs no AWSLambdaBasicExecutionRole managed policy.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Tidewatch ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they are granted on "*".',
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, this.entry),
      handler: HANDLER_EXPORT,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 256,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        [ENV.stage]: props.config.stage,
        POWERTOOLS_LOG_LEVEL: props.config.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: lambdaBundling(),
    });

    const cfnFunction = this.function.node.defaultChild as lambda.CfnFunction;
    cfnFunction.addMetadata(ENTRY_METADATA_KEY, this.entry);
    cfnFunction.addMetadata(HANDLER_METADATA_KEY, HANDLER_EXPORT);
  }
}

/** The same options as NodejsFunction takes them (it runs esbuild in the project root). */
function lambdaBundling(): BundlingOptions {
  const options = functionEsbuildOptions(`./${LAMBDA_CREDENTIALS_MODULE}`);
  return {
    format: OutputFormat.CJS,
    minify: false,
    esbuildArgs: {
      '--minify-whitespace': options.minifyWhitespace,
      '--minify-syntax': options.minifySyntax,
      '--supported:dynamic-import': String(options.supported['dynamic-import']),
      '--alias': `${DEFAULT_CREDENTIAL_CHAIN}=${options.alias[DEFAULT_CREDENTIAL_CHAIN]}`,
    },
    sourceMap: true,
    sourceMapMode: SourceMapMode.EXTERNAL,
    sourcesContent: options.sourcesContent,
    target: 'node24',
    mainFields: [...options.mainFields],
    // The AWS SDK bundled too, although the runtime ships one: one tree-shaken file loads 2-3× faster than
    // the runtime's node_modules, and what runs is the SDK version we test.
    externalModules: [],
  };
}
