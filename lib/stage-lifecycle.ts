/**
 * What a stage leaves behind when its stack is deleted, and the tags that say what it is and who put it
 * there.
 *
 * A preview stage is fully removable: every resource is deleted with the stack (CDK's RemovalPolicies),
 * every bucket empties itself first (CDK's auto-delete-objects mixin) and every KMS key is scheduled for
 * deletion after the 7-day minimum. Any other stage retains its data: its buckets, tables, log groups and
 * keys stay when the stack is deleted. Both are aspects over the whole stack, so a construct added later
 * is covered without knowing about stages.
 */
import { Aspects, RemovalPolicies, Tags, type IAspect, type Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { TidewatchConfig } from './config';
import { loadDeploymentContext, type DeploymentContext } from './deployment-context';

/** The resource types that hold data, or decrypt it: a stage that is not a preview retains them. */
export const DATA_RESOURCE_TYPES = ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::KMS::Key'];

/** The shortest wait KMS allows between scheduling a key's deletion and deleting it. */
export const MIN_KEY_PENDING_WINDOW_DAYS = 7;

/** Applies the stage's removal policy and tags to the whole stack; the deployment keys come from the CDK context. */
export function applyStageLifecycle(stack: Stack, config: Pick<TidewatchConfig, 'preview'>): void {
  if (config.preview) {
    RemovalPolicies.of(stack).destroy();
    Aspects.of(stack).add(new EmptiedOnDelete());
  } else {
    // CDK's defaults already retain these types; stating it here keeps it true for any construct's choice.
    RemovalPolicies.of(stack).retain({ applyToResourceTypes: DATA_RESOURCE_TYPES });
  }
  for (const [key, value] of Object.entries(stageTags(config.preview, loadDeploymentContext(stack.node.getAllContext())))) {
    Tags.of(stack).add(key, value);
  }
}

/**
 * `managed-by` (`github-actions` when a workflow run deployed it, else `cdk`), `preview`, and the
 * deployment's `pr`, `repo`, `sha` and `run-id` when given: enough to tell, from any resource in the
 * account, whether it may go and which pull request and run made it.
 */
export function stageTags(preview: boolean, deployment: DeploymentContext): Record<string, string> {
  return {
    'managed-by': deployment.runId === undefined ? 'cdk' : 'github-actions',
    preview: String(preview),
    ...(deployment.pr !== undefined && { pr: String(deployment.pr) }),
    ...(deployment.repo !== undefined && { repo: deployment.repo }),
    ...(deployment.sha !== undefined && { sha: deployment.sha }),
    ...(deployment.runId !== undefined && { 'run-id': deployment.runId }),
  };
}

/** A preview's buckets empty themselves before deletion, and its keys wait the shortest time allowed. */
class EmptiedOnDelete implements IAspect {
  private readonly autoDeleteObjects = new s3.mixins.BucketAutoDeleteObjects();

  visit(node: IConstruct): void {
    if (this.autoDeleteObjects.supports(node)) this.autoDeleteObjects.applyTo(node);
    if (node instanceof kms.CfnKey) node.pendingWindowInDays = MIN_KEY_PENDING_WINDOW_DAYS;
  }
}
