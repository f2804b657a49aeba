/**
 * The preview workflow's deploy role (GithubOidcDeployRole in its own opt-in stack): who may assume it
 * (this repository's pull requests, through GitHub's OIDC provider, created unless given), what it may
 * do (assume the CDK bootstrap roles, and a few actions on preview resources only), a clean cdk-nag, and
 * the app wiring behind the `githubDeployRole` context.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/app';
import { ConfigError } from '../../lib/config';
import type { GithubDeployRoleSettings } from '../../lib/deployment-context';
import { GITHUB_DEPLOY_ROLE_STACK_NAME, GithubDeployRoleStack } from '../../lib/github-deploy-role-stack';
import type { Json } from './synth';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The role stack alone, in an app with cdk-nag, as `cdk synth` checks it. */
function synthesizeRoleStack(settings: GithubDeployRoleSettings) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'tidewatch-deploy-role-'));
  outdirs.push(outdir);
  const app = new App({ outdir });
  const stack = new GithubDeployRoleStack(app, GITHUB_DEPLOY_ROLE_STACK_NAME, { settings });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Throws on any unacknowledged cdk-nag error.
  const json = app.synth().getStackArtifact(stack.artifactId).template as Json;
  return { stack, json, template: Template.fromJSON(json) };
}

const statementsOf = (json: Json): Json[] =>
  Object.values(json.Resources as Record<string, Json>)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .flatMap((resource) => resource.Properties.PolicyDocument.Statement as Json[]);
/** A resource ARN with its tokens as `<Ref>`, for comparing patterns. */
const arnText = (resource: Json): string =>
  typeof resource === 'string' ? resource : (resource['Fn::Join'][1] as (string | Json)[]).map((part) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join('');

describe('with a new OIDC provider', () => {
  const { json, template } = synthesizeRoleStack({ repository: 'tidewatch/tidewatch' });

  it("creates the account's GitHub Actions provider for the STS audience", () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
  });

  it('is assumable only through that provider, by pull_request workflows of the repository, for STS', () => {
    const [providerId] = Object.keys(template.findResources('AWS::IAM::OIDCProvider'));
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: providerId } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:tidewatch/tidewatch:pull_request',
          },
        },
      },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("deploys through the CDK bootstrap roles: the deploy and file-publishing roles of the account's default qualifier", () => {
    const assume = statementsOf(json).find((statement) => statement.Action === 'sts:AssumeRole')!;
    expect(assume.Resource.map((arn: Json) => arn['Fn::Sub'])).toEqual([
      ['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-deploy-role-${AWS::AccountId}-${AWS::Region}', { Qualifier: 'hnb659fds' }],
      ['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-file-publishing-role-${AWS::AccountId}-${AWS::Region}', { Qualifier: 'hnb659fds' }],
    ]);
  });

  it('acts directly only on preview resources, one action each, never on "*"', () => {
    const direct = statementsOf(json).filter((statement) => statement.Action !== 'sts:AssumeRole');
    expect(Object.fromEntries(direct.map((statement) => [statement.Action, arnText(statement.Resource)]))).toEqual({
      'cloudformation:DescribeStackResources': 'arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/Tidewatch-pr*/*',
      's3:PutObject': 'arn:<AWS::Partition>:s3:::tidewatch-pr*/site/config.js',
      'cloudfront:CreateInvalidation': 'arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/*',
      'logs:DescribeLogGroups': 'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*',
      'logs:DeleteLogGroup': 'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/Tidewatch-pr*',
    });
    for (const statement of statementsOf(json)) expect(statement.Effect).toBe('Allow');
  });

  it('outputs the role ARN the workflow is given', () => {
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    template.hasOutput('RoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });
});

describe('with the account provider given', () => {
  const providerArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const { template } = synthesizeRoleStack({ repository: 'acme/tidewatch-fork', oidcProviderArn: providerArn });

  it('creates no second provider and trusts the given one, for this repository', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Federated: providerArn },
            Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/tidewatch-fork:pull_request' } },
          },
        ],
      },
    });
  });
});

describe('the app', () => {
  const context = { 'aws:cdk:bundling-stacks': [] };

  it('has no deploy role stack unless the githubDeployRole context asks for it', () => {
    expect(createApp({ context }).deployRoleStack).toBeUndefined();
  });

  it('adds the stack, named apart from every stage, when asked', () => {
    const { deployRoleStack, stack } = createApp({ context: { ...context, githubDeployRole: '{"repository":"tidewatch/tidewatch"}' } });
    expect(deployRoleStack?.stackName).toBe('TidewatchGithubDeployRole');
    expect(stack.stackName).toBe('Tidewatch-dev');
  });

  it('refuses bad settings before building anything', () => {
    expect(() => createApp({ context: { ...context, githubDeployRole: '{"repository":"not a repo"}' } })).toThrow(ConfigError);
  });
});
