/**
 * The opt-in stack holding the preview workflow's deploy role: deployed once per account and region the
 * previews go to, apart from any pipeline stage, so its lifetime is not a stage's.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { GithubDeployRoleSettings } from './deployment-context';
import { GithubOidcDeployRole } from './github-oidc-deploy-role';

/** Not `Tidewatch-<stage>`, so no stage can ever take its name. */
export const GITHUB_DEPLOY_ROLE_STACK_NAME = 'TidewatchGithubDeployRole';

export interface GithubDeployRoleStackProps extends StackProps {
  readonly settings: GithubDeployRoleSettings;
}

export class GithubDeployRoleStack extends Stack {
  readonly deployRole: GithubOidcDeployRole;

  constructor(scope: Construct, id: string, props: GithubDeployRoleStackProps) {
    const { settings, ...stackProps } = props;
    super(scope, id, { description: `Tidewatch: the role pull requests of ${settings.repository} deploy previews with`, ...stackProps });
    this.deployRole = new GithubOidcDeployRole(this, 'DeployRole', settings);
    // The repository variable AWS_PREVIEW_ROLE_ARN of the preview workflow.
    new CfnOutput(this, 'RoleArn', { value: this.deployRole.role.roleArn, description: 'Set it as the repository variable AWS_PREVIEW_ROLE_ARN' });
  }
}
