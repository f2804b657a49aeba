/**
 * Config from CDK context: defaults, the three ways to set a key, and a clear ConfigError naming the
 * key for every kind of bad value; the app reports it as a message and exit code, not a stack trace.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../lib/app';
import { ConfigError, DEFAULT_CONFIG, DEFAULT_WORK_QUEUE_SETTINGS, loadConfig, validateConfig } from '../lib/config';
import { PROJECT_ROOT } from '../lib/project';

const fromContext = (context: Record<string, unknown>) => loadConfig(context);

describe('loadConfig', () => {
  it('gives the documented defaults without context', () => {
    expect(fromContext({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads individual keys, parsing the strings that `--context key=value` passes', () => {
    const config = fromContext({ stage: 'pr-42', fanOut: 'true', maxReceiveCount: '5', allowedOrigins: 'https://a.example, https://b.example' });
    expect(config).toMatchObject({ stage: 'pr-42', fanOut: true, maxReceiveCount: 5, allowedOrigins: ['https://a.example', 'https://b.example'] });
  });

  it('lets one `tidewatch` JSON object win over individual keys, and keeps unset work-queue keys at their defaults', () => {
    const config = fromContext({ stage: 'ignored', tidewatch: JSON.stringify({ stage: 'prod', workQueues: { files: { batchSize: 3 } } }) });
    expect(config.stage).toBe('prod');
    expect(config.workQueues.files).toEqual({ ...DEFAULT_CONFIG.workQueues.files!, batchSize: 3 });
    expect(config.workQueues.jobs).toEqual(DEFAULT_CONFIG.workQueues.jobs!);
  });

  it('adds a work queue with one entry, with default settings, and keeps files and jobs', () => {
    const config = fromContext({ tidewatch: '{"workQueues":{"reports":{"worker":"job-worker"}}}' });
    expect(Object.keys(config.workQueues)).toEqual(['files', 'jobs', 'reports']);
    expect(config.workQueues.reports).toEqual({ ...DEFAULT_WORK_QUEUE_SETTINGS, worker: 'job-worker' });
  });

  it("accepts CDK's own context keys and the preview deployment's keys beside the config", () => {
    const context = { '@aws-cdk/core:checkSecretUsage': true, 'aws:cdk:bundling-stacks': [], 'availability-zones:account=1:region=x': ['a'], pr: '42', repo: 'o/r', sha: 'abc', runId: '7' };
    expect(fromContext(context)).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    [{ colour: 'blue' }, /unknown config key\(s\): colour/],
    [{ tidewatch: '{"allowedOrigin":["x"]}' }, /unknown config key\(s\): allowedOrigin/],
    [{ tidewatch: '{"workQueues":{"reports":{"worker":"job-worker","speed":2}}}' }, /unknown workQueues\.reports key\(s\): speed/],
    [{ files: '{"batchSize":3}' }, /config key files has moved: set workQueues\.files instead/],
    [{ tidewatch: '{"jobs":{}}' }, /config key jobs has moved: set workQueues\.jobs instead/],
  ])('refuses what is not a config key, single or in the object: %j', (context, message) => {
    expect(() => fromContext(context)).toThrow(ConfigError);
    expect(() => fromContext(context)).toThrow(message);
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
    [{ workQueues: { files: 'fast' } }, /workQueues\.files must be an object/],
    [{ workQueues: { files: { speed: 1 } } }, /unknown workQueues\.files key\(s\): speed/],
    [{ workQueues: { files: { batchSize: 11 } } }, /workQueues\.files\.batchSize must be an integer from 1 to 10/],
    [{ workQueues: { jobs: { maxConcurrency: 1 } } }, /workQueues\.jobs\.maxConcurrency must be an integer from 2 to 1000/],
    [{ workQueues: { jobs: { maxBatchingWindowSeconds: 301 } } }, /workQueues\.jobs\.maxBatchingWindowSeconds must be an integer from 0 to 300/],
    [{ workQueues: { files: { workerTimeoutSeconds: 901 } } }, /workQueues\.files\.workerTimeoutSeconds must be an integer from 1 to 900/],
    [{ workQueues: { files: { workerMemoryMiB: 64 } } }, /workQueues\.files\.workerMemoryMiB must be an integer from 128/],
    [{ workQueues: [] }, /workQueues must be an object of work queues by name/],
    [{ workQueues: { Reports: { worker: 'job-worker' } } }, /workQueues\.Reports: a work queue's name must be one short lowercase word/],
    [{ workQueues: { 'big-reports': { worker: 'job-worker' } } }, /workQueues\.big-reports: a work queue's name must be one short lowercase word/],
    [{ workQueues: { reports: {} } }, /workQueues\.reports\.worker must name a worker kind \(file-worker, job-worker\), got undefined/],
    [{ workQueues: { reports: { worker: 'image-worker' } } }, /workQueues\.reports\.worker must name a worker kind/],
    [{ workQueues: { images: { worker: 'file-worker' } } }, /exactly one work queue must run file-worker \(it is fed by the uploads\), got files, images/],
    [{ workQueues: { jobs: { worker: 'file-worker' } } }, /exactly one work queue must run file-worker \(it is fed by the uploads\), got files, jobs/],
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
    expect(() => createApp({ context: { 'aws:cdk:bundling-stacks': [], workQueues: { files: { batchSize: 0 } } } })).toThrow(ConfigError);
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
