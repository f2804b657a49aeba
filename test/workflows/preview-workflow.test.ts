/**
 * The preview workflow's structure: its triggers, which job runs for which pull request (its `if:`
 * expressions evaluated), least-privilege permissions, one concurrency group per pull request, the
 * steps in order, the stack name and context the app accepts, and the one comment found by its marker.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CONFIG_KEY } from '../../contract/console-config';
import { stackName } from '../../contract/naming';
import { previewStage } from '../../contract/preview';
import { loadConfig } from '../../lib/config';
import { loadDeploymentContext } from '../../lib/deployment-context';
import { PREVIEW_COMMENT_MARKER } from '../../.github/scripts/preview-files';
import { actionOf, loadWorkflow, pinnedNodeMajor, stepOf, WORKFLOWS_DIR, type Job } from './workflow';

const preview = loadWorkflow('preview.yml');
const { deploy, destroy } = preview.jobs as Record<string, Job>;
const noPreview = preview.jobs['no-preview']!;
const PR_NUMBER = '${{ github.event.pull_request.number }}';
/** A workflow value with the pull request number GitHub would put in. */
const forPullRequest = (value: string, pr: number) => value.replaceAll(PR_NUMBER, String(pr));

/**
 * Evaluates the `if:` expressions this workflow uses: comparisons (`==`, `!=`) of context values and
 * string literals, joined by `&&` and `||` (no parentheses). Written here because GitHub's evaluator is
 * not available outside GitHub; an expression outside that grammar fails the test.
 */
function evaluate(expression: string, context: Record<string, string>): boolean {
  const operand = (text: string) => {
    const literal = /^'(.*)'$/.exec(text);
    if (literal) return literal[1]!;
    if (!(text in context)) throw new Error(`no value for ${text} in the evaluated context`);
    return context[text]!;
  };
  const comparison = (text: string) => {
    const match = /^(\S+) (==|!=) (\S+)$/.exec(text.trim());
    if (!match) throw new Error(`not a comparison: ${text}`);
    return (operand(match[1]!) === operand(match[3]!)) === (match[2] === '==');
  };
  return expression.split('||').some((any) => any.split('&&').every(comparison));
}

interface PullRequestEvent {
  readonly action: 'opened' | 'synchronize' | 'reopened' | 'closed';
  readonly fromFork: boolean;
  readonly configured: boolean;
}

/** The jobs GitHub would run for an event. */
function jobsRunFor(event: PullRequestEvent): string[] {
  const context = {
    'github.event.action': event.action,
    'github.repository': 'tidewatch/tidewatch',
    'github.event.pull_request.head.repo.full_name': event.fromFork ? 'someone/tidewatch' : 'tidewatch/tidewatch',
    'vars.AWS_PREVIEW_ROLE_ARN': event.configured ? 'arn:aws:iam::123456789012:role/preview' : '',
    'vars.AWS_REGION': event.configured ? 'eu-west-1' : '',
  };
  return Object.entries(preview.jobs)
    .filter(([, job]) => job.if === undefined || evaluate(job.if, context))
    .map(([id]) => id);
}

describe('preview.yml', () => {
  it('runs on pull requests opened, pushed to, reopened and closed, never with pull_request_target', () => {
    expect(preview.on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'closed'] } });
  });

  it.each([
    [{ action: 'opened', fromFork: false, configured: true }, ['deploy']],
    [{ action: 'synchronize', fromFork: false, configured: true }, ['deploy']],
    [{ action: 'reopened', fromFork: false, configured: true }, ['deploy']],
    [{ action: 'closed', fromFork: false, configured: true }, ['destroy']],
    [{ action: 'opened', fromFork: true, configured: true }, ['no-preview']],
    [{ action: 'closed', fromFork: true, configured: true }, ['no-preview']],
    [{ action: 'synchronize', fromFork: false, configured: false }, ['no-preview']],
  ] as [PullRequestEvent, string[]][])('for %j runs %j', (event, jobs) => {
    expect(jobsRunFor(event)).toEqual(jobs);
  });

  it('says why a pull request from a fork gets no preview: no OIDC token', () => {
    const explain = stepOf(noPreview, 'explain');
    expect(explain.env?.FROM_FORK).toBe('${{ github.event.pull_request.head.repo.full_name != github.repository }}');
    expect(explain.run).toMatch(/fork[^\n]*no OIDC token/);
    expect(explain.run).toContain('::notice ');
    expect(explain.run).toContain('GITHUB_STEP_SUMMARY');
  });

  it('grants nothing by default, and each job only what it uses', () => {
    expect(preview.permissions).toEqual({});
    expect(noPreview.permissions).toEqual({});
    // id-token: the OIDC token for the AWS role; pull-requests: the comment; contents: the checkout.
    for (const job of [deploy!, destroy!]) expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
  });

  it('gets AWS credentials only from the OIDC role, never from stored keys', () => {
    for (const job of [deploy!, destroy!]) {
      const credentials = stepOf(job, 'aws-credentials');
      expect(actionOf(credentials)).toBe('aws-actions/configure-aws-credentials');
      expect(credentials.with).toEqual({
        'role-to-assume': '${{ vars.AWS_PREVIEW_ROLE_ARN }}',
        'aws-region': '${{ vars.AWS_REGION }}',
        'role-session-name': `tidewatch-pr${PR_NUMBER}-run\${{ github.run_id }}`,
      });
    }
    expect(readFileSync(path.join(WORKFLOWS_DIR, 'preview.yml'), 'utf8')).not.toMatch(/secrets\.|aws-access-key-id|aws-secret-access-key/);
  });

  it('runs one run per pull request at a time, never cancelling a deploy halfway', () => {
    expect(preview.concurrency).toEqual({ group: `preview-pr-${PR_NUMBER}`, 'cancel-in-progress': false });
  });

  it('deploys Tidewatch-pr<number> as a removable preview stage, with the deployment context the app accepts', () => {
    const env = preview.env!;
    expect(forPullRequest(env.STACK!, 42)).toBe('Tidewatch-pr42');
    const config = loadConfig({ tidewatch: forPullRequest(env.PREVIEW_CONFIG!, 42) });
    expect(config).toMatchObject({ stage: previewStage(42), preview: true, sloBurnRateAlarms: false });
    expect(stackName(config.stage)).toBe(forPullRequest(env.STACK!, 42));
    expect(env.PR).toBe(PR_NUMBER);

    const deployStep = stepOf(deploy!, 'deploy');
    expect(deployStep.run).toMatch(/^npx cdk deploy "\$STACK" --require-approval never --outputs-file cdk-outputs\.json /);
    expect(deployStep.run).toContain('-c tidewatch="$PREVIEW_CONFIG" -c pr="$PR" -c repo="$REPO" -c sha="$SHA" -c runId="$RUN_ID"');
    expect(deployStep.env).toEqual({ SHA: '${{ github.event.pull_request.head.sha }}', REPO: '${{ github.repository }}', RUN_ID: '${{ github.run_id }}' });
    expect(loadDeploymentContext({ pr: '42', repo: 'tidewatch/tidewatch', sha: 'f'.repeat(40), runId: '123456' })).toEqual({ pr: 42, repo: 'tidewatch/tidewatch', sha: 'f'.repeat(40), runId: '123456' });
    // The commit the comment names is the one deployed.
    expect(stepOf(deploy!, 'checkout').with?.ref).toBe('${{ github.event.pull_request.head.sha }}');
  });

  it('deploys in order: install before the credentials exist, then deploy, config.js from its outputs, upload, invalidate, comment', () => {
    expect(deploy!.steps.map((step) => step.id)).toEqual([
      'checkout',
      'setup-node',
      'install',
      'aws-credentials',
      'deploy',
      'files',
      'upload-config',
      'invalidate-config',
      'find-comment',
      'comment',
    ]);
    expect(stepOf(deploy!, 'files').run).toContain('preview-files.ts deployed --stack "$STACK" --outputs cdk-outputs.json');
    const upload = stepOf(deploy!, 'upload-config');
    expect(upload.run).toMatch(/^aws s3 cp preview\/config\.js "s3:\/\/\$BUCKET\/\$CONFIG_KEY" /);
    expect(upload.env).toEqual({ BUCKET: '${{ steps.files.outputs.bucket }}', CONFIG_KEY: '${{ steps.files.outputs.config-key }}' });
  });

  it(`invalidates ${CONSOLE_CONFIG_KEY} alone, in the stack's own distribution`, () => {
    const invalidate = stepOf(deploy!, 'invalidate-config');
    expect(invalidate.env).toEqual({ CONFIG_PATH: '${{ steps.files.outputs.config-path }}' });
    expect(invalidate.run).toContain('aws cloudformation describe-stack-resources --stack-name "$STACK"');
    expect(invalidate.run).toContain("ResourceType=='AWS::CloudFront::Distribution'");
    expect(invalidate.run).toMatch(/aws cloudfront create-invalidation --distribution-id "\$distribution" --paths "\$CONFIG_PATH"\n/);
  });

  it('destroys the stack when the pull request closes, then what Lambda created outside it, then updates the comment', () => {
    expect(destroy!.steps.map((step) => step.id)).toEqual([
      'checkout',
      'setup-node',
      'install',
      'aws-credentials',
      'destroy',
      'delete-lambda-log-groups',
      'files',
      'find-comment',
      'comment',
    ]);
    expect(stepOf(destroy!, 'destroy').run).toBe('npx cdk destroy "$STACK" --force -c tidewatch="$PREVIEW_CONFIG"');
    // The trailing hyphen keeps pr1 from matching pr12's log groups.
    expect(stepOf(destroy!, 'delete-lambda-log-groups').run).toContain('--log-group-name-prefix "/aws/lambda/$STACK-"');
    expect(stepOf(destroy!, 'files').run).toContain('preview-files.ts removed --stack "$STACK"');
    expect(stepOf(destroy!, 'comment').if).toBe("steps.find-comment.outputs.comment-id != ''");
  });

  it('keeps one bot comment per pull request, found by its marker and replaced', () => {
    for (const job of [deploy!, destroy!]) {
      const find = stepOf(job, 'find-comment');
      expect(actionOf(find)).toBe('peter-evans/find-comment');
      expect(find.with).toEqual({ 'issue-number': PR_NUMBER, 'comment-author': 'github-actions[bot]', 'body-includes': PREVIEW_COMMENT_MARKER });
      const comment = stepOf(job, 'comment');
      expect(actionOf(comment)).toBe('peter-evans/create-or-update-comment');
      expect(comment.with).toMatchObject({ 'comment-id': '${{ steps.find-comment.outputs.comment-id }}', 'body-path': 'preview/comment.md', 'edit-mode': 'replace' });
      expect(stepOf(job, 'files').run).toContain('--out preview');
    }
    expect(stepOf(deploy!, 'comment').with?.['issue-number']).toBe(PR_NUMBER);
  });

  it('pins every action to a commit, checks out without keeping the token, and sets up the pinned Node major', () => {
    for (const job of Object.values(preview.jobs)) {
      for (const step of job.steps.filter((candidate) => candidate.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    }
    for (const job of [deploy!, destroy!]) {
      expect(stepOf(job, 'checkout').with).toMatchObject({ 'persist-credentials': false });
      expect(stepOf(job, 'setup-node').with?.['node-version']).toBe(pinnedNodeMajor());
      expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
    }
  });
});
