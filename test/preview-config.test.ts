/**
 * The preview deployment's part of the configuration: the `preview` and `sloBurnRateAlarms` keys, the
 * deployment keys the workflow passes beside the config (`pr`, `repo`, `sha`, `runId`), and the opt-in
 * deploy role stack's `githubDeployRole`; each bad value is a ConfigError naming it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../lib/config';
import { loadDeploymentContext, loadGithubDeployRoleSettings } from '../lib/deployment-context';

describe('preview and sloBurnRateAlarms', () => {
  it('default to a stage that retains its data and has every alarm', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ preview: false, sloBurnRateAlarms: true });
  });

  it('are read as single keys (strings from the command line) or in the object, as the workflow passes them', () => {
    expect(loadConfig({ preview: 'true', sloBurnRateAlarms: 'false' })).toMatchObject({ preview: true, sloBurnRateAlarms: false });
    expect(loadConfig({ tidewatch: '{"stage":"pr42","preview":true,"sloBurnRateAlarms":false}' })).toMatchObject({ stage: 'pr42', preview: true, sloBurnRateAlarms: false });
  });

  it.each([
    [{ preview: 'yes' }, /preview must be true or false, got "yes"/],
    [{ tidewatch: '{"sloBurnRateAlarms":1}' }, /sloBurnRateAlarms must be true or false, got 1/],
  ])('refuses %j', (context, message) => {
    expect(() => loadConfig(context)).toThrow(ConfigError);
    expect(() => loadConfig(context)).toThrow(message);
  });

  it('leave the deployment keys and githubDeployRole to their own readers', () => {
    const context = { pr: '42', repo: 'o/r', sha: 'abcdef0', runId: '7', githubDeployRole: '{"repository":"o/r"}' };
    expect(loadConfig(context)).toEqual(DEFAULT_CONFIG);
  });
});

describe('the deployment keys', () => {
  it('are all optional', () => {
    expect(loadDeploymentContext({ stage: 'dev' })).toEqual({});
  });

  it('are read from `-c key=value` strings, and a run id given as a JSON number is the same run', () => {
    const sha = 'a'.repeat(40);
    expect(loadDeploymentContext({ pr: '42', repo: 'tidewatch/tidewatch', sha, runId: '12345678901' })).toEqual({ pr: 42, repo: 'tidewatch/tidewatch', sha, runId: '12345678901' });
    expect(loadDeploymentContext({ pr: 7, runId: 99 })).toEqual({ pr: 7, runId: '99' });
  });

  it.each([
    [{ pr: '0' }, /pr must be an integer from 1/],
    [{ pr: '4.2' }, /pr must be an integer/],
    [{ pr: 'abc' }, /pr must be an integer/],
    [{ repo: 'tidewatch' }, /repo must match/],
    [{ repo: 'owner/name; rm -rf' }, /repo must match/],
    [{ sha: 'abc' }, /sha must match/],
    [{ sha: 'G'.repeat(40) }, /sha must match/],
    [{ runId: 'run-1' }, /runId must match/],
  ])('refuses %j', (context, message) => {
    expect(() => loadDeploymentContext(context)).toThrow(ConfigError);
    expect(() => loadDeploymentContext(context)).toThrow(message);
  });
});

describe('githubDeployRole', () => {
  const providerArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

  it('is absent unless asked for', () => {
    expect(loadGithubDeployRoleSettings({})).toBeUndefined();
  });

  it('names the repository, and the existing OIDC provider when the account has one', () => {
    expect(loadGithubDeployRoleSettings({ githubDeployRole: '{"repository":"tidewatch/tidewatch"}' })).toEqual({ repository: 'tidewatch/tidewatch' });
    expect(loadGithubDeployRoleSettings({ githubDeployRole: { repository: 'o/r', oidcProviderArn: providerArn } })).toEqual({ repository: 'o/r', oidcProviderArn: providerArn });
  });

  it.each([
    ['"o/r"', /context "githubDeployRole" must be a JSON object/],
    ['{}', /githubDeployRole\.repository must match/],
    ['{"repository":"o/r","branch":"main"}', /unknown githubDeployRole key\(s\): branch/],
    ['{"repository":"o/r","oidcProviderArn":"arn:aws:iam::123456789012:oidc-provider/accounts.google.com"}', /githubDeployRole\.oidcProviderArn must match/],
  ])('refuses %s', (value, message) => {
    expect(() => loadGithubDeployRoleSettings({ githubDeployRole: value })).toThrow(ConfigError);
    expect(() => loadGithubDeployRoleSettings({ githubDeployRole: value })).toThrow(message);
  });
});
