/**
 * The app factory: `bin/app.ts`, the tests and the local cloud all synthesize the same app through it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from './config';
import { loadGithubDeployRoleSettings } from './deployment-context';
import { GITHUB_DEPLOY_ROLE_STACK_NAME, GithubDeployRoleStack } from './github-deploy-role-stack';
import { PROJECT_ROOT } from './project';
import { stackName } from '../contract/naming';
import { TidewatchStack } from './tidewatch-stack';

export interface CreateAppOptions {
  /** CDK context (config keys, `aws:cdk:bundling-stacks`, ...); wins over `cdk.json`. @default {} */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly directory. @default - the CDK default (`cdk.out`, or the CLI's choice) */
  readonly outdir?: string;
}

export interface TidewatchApp {
  readonly app: App;
  readonly stack: TidewatchStack;
  /** The preview workflow's deploy role, when the `githubDeployRole` context asks for it. */
  readonly deployRoleStack?: GithubDeployRoleStack;
}

export function createApp(options: CreateAppOptions = {}): TidewatchApp {
  // The CLI passes cdk.json's context itself; reading it here gives tests and the local cloud the
  // same feature flags, hence the same template, as `cdk synth`.
  const app = new App({ context: { ...projectContext(), ...options.context }, outdir: options.outdir });
  const config = loadConfig(app.node.getAllContext());
  const deployRole = loadGithubDeployRoleSettings(app.node.getAllContext());
  const stack = new TidewatchStack(app, stackName(config.stage), { config });
  const deployRoleStack = deployRole && new GithubDeployRoleStack(app, GITHUB_DEPLOY_ROLE_STACK_NAME, { settings: deployRole });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, deployRoleStack };
}

function projectContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
