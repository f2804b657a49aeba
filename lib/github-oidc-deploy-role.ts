/**
 * The role the preview workflow assumes through GitHub's OIDC provider, so no long-lived AWS keys exist.
 * Only the given repository's `pull_request` workflows can assume it: the token's audience must be
 * `sts.amazonaws.com` and its subject `repo:<owner>/<name>:pull_request` (what GitHub issues to a
 * workflow run by a pull request; forks get no token at all).
 *
 * The role deploys and destroys by assuming the CDK bootstrap roles (CloudFormation does the work), and
 * may do directly only what the workflow does around a deploy, on preview stacks' resources: read a
 * stack's resources, write the console's config.js, invalidate it in CloudFront, and delete the log
 * groups Lambda itself created for a preview's functions.
 */
import { Arn, ArnFormat, DefaultStackSynthesizer, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONSOLE_CONFIG_KEY } from '../contract/console-config';
import { PREVIEW_STACK_PREFIX } from '../contract/preview';
import { acknowledge } from './nag';

/** GitHub Actions' OIDC issuer: one IAM provider per account for it. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface GithubOidcDeployRoleProps {
  /** The repository whose pull requests may assume the role, `owner/name`. */
  readonly repository: string;
  /** The account's GitHub OIDC provider, when it already has one. @default - a new provider */
  readonly oidcProviderArn?: string;
  /** The CDK bootstrap qualifier of the account and region. @default DefaultStackSynthesizer.DEFAULT_QUALIFIER */
  readonly bootstrapQualifier?: string;
  /** Longest session; a deploy with a new CloudFront distribution takes minutes. @default Duration.hours(1) */
  readonly maxSessionDuration?: Duration;
}

export class GithubOidcDeployRole extends Construct {
  readonly provider: iam.IOidcProvider;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GithubOidcDeployRoleProps) {
    super(scope, id);
    this.provider = props.oidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.oidcProviderArn)
      : new iam.OidcProviderNative(this, 'Provider', { url: `https://${GITHUB_OIDC_ISSUER}`, clientIds: [STS_AUDIENCE] });

    this.role = new iam.Role(this, 'Role', {
      description: `Tidewatch preview deploys from pull requests of ${props.repository}`,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE,
          [`${GITHUB_OIDC_ISSUER}:sub`]: `repo:${props.repository}:pull_request`,
        },
      }),
    });

    const qualifier = props.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: [DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN, DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN].map((arn) =>
          Fn.sub(arn, { Qualifier: qualifier }),
        ),
      }),
    );
    const stack = Stack.of(this);
    for (const grant of previewGrants(stack)) {
      this.role.addToPolicy(new iam.PolicyStatement({ sid: grant.sid, actions: [grant.action], resources: [grant.resource] }));
      acknowledge(this.role, { id: `AwsSolutions-IAM5[Resource::${nagResourceName(stack, grant.resource)}]`, reason: grant.wildcardReason });
    }
  }
}

/** One action of the workflow's own, on the one resource pattern it needs. */
interface PreviewGrant {
  readonly sid: string;
  readonly action: string;
  readonly resource: string;
  /** Why the resource holds a wildcard (cdk-nag asks). */
  readonly wildcardReason: string;
}

const BY_PREFIX = `Preview stacks come and go with pull requests, so their resources are known only by their names' prefix ${PREVIEW_STACK_PREFIX}; the grant covers that prefix and nothing else.`;

/** What the workflow does itself around `cdk deploy` and `cdk destroy`, on preview stacks only. */
function previewGrants(stack: Stack): PreviewGrant[] {
  const logGroups = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return [
    {
      sid: 'FindPreviewDistribution',
      action: 'cloudformation:DescribeStackResources',
      resource: stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${PREVIEW_STACK_PREFIX}*/*` }),
      wildcardReason: BY_PREFIX,
    },
    {
      sid: 'WriteConsoleConfig',
      action: 's3:PutObject',
      // A bucket's generated name starts with its stack's name, lowercased.
      resource: Arn.format({ service: 's3', region: '', account: '', resource: `${PREVIEW_STACK_PREFIX.toLowerCase()}*/${CONSOLE_CONFIG_KEY}` }, stack),
      wildcardReason: BY_PREFIX,
    },
    {
      sid: 'InvalidateConsoleConfig',
      action: 'cloudfront:CreateInvalidation',
      resource: Arn.format({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: '*' }, stack),
      wildcardReason: "A preview's distribution has an id CloudFront generates, known only after its deploy; the workflow invalidates one path of it.",
    },
    {
      sid: 'ListLogGroups',
      action: 'logs:DescribeLogGroups',
      resource: logGroups('*'),
      wildcardReason: 'Listing log groups by name prefix is authorized on the log-group:* resource; it reads names, never log events.',
    },
    {
      sid: 'DeleteLambdaCreatedLogGroups',
      action: 'logs:DeleteLogGroup',
      // Lambda names a function's own log group /aws/lambda/<function>, and a preview's functions are named after its stack.
      resource: logGroups(`/aws/lambda/${PREVIEW_STACK_PREFIX}*`),
      wildcardReason: BY_PREFIX,
    },
  ];
}

/** A resource as cdk-nag names it in a finding: the resolved ARN with each reference written `<name>`. */
function nagResourceName(stack: Stack, resource: string): string {
  const resolved = stack.resolve(resource) as string | { 'Fn::Join': [string, (string | { Ref: string })[]] };
  if (typeof resolved === 'string') return resolved;
  return resolved['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join(resolved['Fn::Join'][0]);
}
