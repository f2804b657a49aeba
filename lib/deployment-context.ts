/**
 * What the preview workflow passes beside the configuration: who deployed a stage and from what, and the
 * opt-in stack of its deploy role. Read from the whole CDK context; a bad value throws ConfigError.
 */
import { ConfigError, integer, parseMaybeJson, stringValue } from './config-values';

/**
 * Who deployed a stage and from what: single context keys the preview workflow passes beside the config
 * (`-c pr=42 -c repo=owner/name -c sha=<commit> -c runId=<run>`); each is optional. The stage's tags carry them.
 */
export interface DeploymentContext {
  /** The pull request's number. */
  readonly pr?: number;
  /** The GitHub repository, `owner/name`. */
  readonly repo?: string;
  /** The deployed commit, 7 to 40 hex digits. */
  readonly sha?: string;
  /** The GitHub Actions run that deployed it. */
  readonly runId?: string;
}

const GITHUB_REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** Reads and checks the deployment keys of the whole CDK context; throws ConfigError naming a bad one. */
export function loadDeploymentContext(context: Readonly<Record<string, unknown>>): DeploymentContext {
  const given = (key: string) => context[key] !== undefined;
  // `-c runId=123` passes a string, a JSON context may pass a number: both name the same run.
  const asText = (key: string) => ({ [key]: typeof context[key] === 'number' ? String(context[key]) : context[key] });
  return {
    ...(given('pr') && { pr: integer(context, 'pr', 0, 1, Number.MAX_SAFE_INTEGER) }),
    ...(given('repo') && { repo: stringValue(context, 'repo', '', GITHUB_REPOSITORY_PATTERN) }),
    ...(given('sha') && { sha: stringValue(asText('sha'), 'sha', '', /^[0-9a-f]{7,40}$/) }),
    ...(given('runId') && { runId: stringValue(asText('runId'), 'runId', '', /^[1-9][0-9]{0,19}$/) }),
  };
}

/** The opt-in stack of the preview workflow's deploy role (`-c githubDeployRole='{"repository":"owner/name"}'`). */
export interface GithubDeployRoleSettings {
  /** The repository whose pull requests may assume the role, `owner/name`. */
  readonly repository: string;
  /** The account's existing GitHub OIDC provider (an account holds one per issuer). @default - the stack creates it */
  readonly oidcProviderArn?: string;
}

const OIDC_PROVIDER_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** The deploy role stack's settings, or undefined when the context does not ask for that stack. */
export function loadGithubDeployRoleSettings(context: Readonly<Record<string, unknown>>): GithubDeployRoleSettings | undefined {
  const value = parseMaybeJson(context.githubDeployRole);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('context "githubDeployRole" must be a JSON object');
  const raw = value as Record<string, unknown>;
  const unknownKeys = Object.keys(raw).filter((key) => key !== 'repository' && key !== 'oidcProviderArn');
  if (unknownKeys.length > 0) throw new ConfigError(`unknown githubDeployRole key(s): ${unknownKeys.join(', ')} (known: repository, oidcProviderArn)`);
  return {
    repository: stringValue(raw, 'repository', '', GITHUB_REPOSITORY_PATTERN, 'githubDeployRole.repository'),
    ...(raw.oidcProviderArn !== undefined && {
      oidcProviderArn: stringValue(raw, 'oidcProviderArn', '', OIDC_PROVIDER_ARN_PATTERN, 'githubDeployRole.oidcProviderArn'),
    }),
  };
}
