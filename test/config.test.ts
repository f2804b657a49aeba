/**
 * Config from CDK context: defaults, the three ways to set a key, and a clear ConfigError naming the
 * key for every kind of bad value; the app reports it as a message and exit code, not a stack trace.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../lib/app';
import { ConfigError, DEFAULT_CONFIG, loadConfig, validateConfig } from '../lib/config';
import { PROJECT_ROOT } from '../lib/instrumented-function';

const fromContext = (context: Record<string, unknown>) => loadConfig((key) => context[key]);

describe('loadConfig', () => {
  it('gives the documented defaults without context', () => {
    expect(fromContext({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads individual keys, parsing the strings that `--context key=value` passes', () => {
    const config = fromContext({ stage: 'pr-42', fanOut: 'true', maxReceiveCount: '5', allowedOrigins: 'https://a.example, https://b.example' });
    expect(config).toMatchObject({ stage: 'pr-42', fanOut: true, maxReceiveCount: 5, allowedOrigins: ['https://a.example', 'https://b.example'] });
  });

  it('lets one `tidewatch` JSON object win over individual keys, and keeps unset work-queue keys at their defaults', () => {
    const config = fromContext({ stage: 'ignored', tidewatch: JSON.stringify({ stage: 'prod', files: { batchSize: 3 } }) });
    expect(config.stage).toBe('prod');
    expect(config.files).toEqual({ ...DEFAULT_CONFIG.files, batchSize: 3 });
    expect(config.jobs).toEqual(DEFAULT_CONFIG.jobs);
  });
});

describe('validation errors name the key', () => {
  it.each([
    [{ colour: 'blue' }, /unknown config key\(s\): colour/],
    [{ stage: 'Bad Stage!' }, /stage must match/],
    [{ stage: 'a'.repeat(21) }, /stage must match/],
    [{ allowedOrigins: [] }, /allowedOrigins must be a non-empty list/],
    [{ presignExpirySeconds: 0 }, /presignExpirySeconds must be an integer from 1/],
    [{ maxUploadBytes: 1.5 }, /maxUploadBytes must be an integer/],
    [{ fanOut: 'yes' }, /fanOut must be true or false/],
    [{ maxReceiveCount: 0 }, /maxReceiveCount must be an integer from 1 to 1000/],
    [{ deadLetterRetentionDays: 15 }, /deadLetterRetentionDays must be an integer from 1 to 14/],
    [{ logLevel: 'TRACE' }, /logLevel must be one of DEBUG, INFO, WARN, ERROR/],
    [{ files: 'fast' }, /files must be an object/],
    [{ files: { speed: 1 } }, /unknown files key\(s\): speed/],
    [{ files: { batchSize: 11 } }, /files\.batchSize must be an integer from 1 to 10/],
    [{ jobs: { maxConcurrency: 1 } }, /jobs\.maxConcurrency must be an integer from 2 to 1000/],
    [{ jobs: { maxBatchingWindowSeconds: 301 } }, /jobs\.maxBatchingWindowSeconds must be an integer from 0 to 300/],
    [{ files: { workerTimeoutSeconds: 901 } }, /files\.workerTimeoutSeconds must be an integer from 1 to 900/],
    [{ files: { workerMemoryMiB: 64 } }, /files\.workerMemoryMiB must be an integer from 128/],
  ])('%j', (raw, message) => {
    expect(() => validateConfig(raw)).toThrow(ConfigError);
    expect(() => validateConfig(raw)).toThrow(message);
  });

  it('rejects a `tidewatch` context that is not an object', () => {
    expect(() => fromContext({ tidewatch: '[1, 2]' })).toThrow(/context "tidewatch" must be a JSON object/);
  });
});

describe('the app', () => {
  it('refuses a bad config before building anything', () => {
    expect(() => createApp({ context: { 'aws:cdk:bundling-stacks': [], files: { batchSize: 0 } } })).toThrow(ConfigError);
  });

  it('prints the bad setting and exits 1 when synthesized with it', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bin/app.ts')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'Bad Stage!' }) },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('tidewatch: invalid configuration: stage must match');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
