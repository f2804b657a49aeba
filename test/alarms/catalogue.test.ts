/**
 * The catalogue as data (no synth): ids, the burn-rate arithmetic, thresholds that follow the config,
 * and the alarm-related config keys with their defaults and validation.
 */
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { API_ALARM_KINDS, WORK_QUEUE_ALARM_KINDS } from '../../contract/runbooks';
import { alarmCatalogue, type CatalogueSources } from '../../lib/alarms/catalogue';
import { conditionsOf, isMathSpec, type MetricAlarmEntry } from '../../lib/alarms/model';
import { BURN_RATE_WINDOWS, burnPercentile, errorBudget } from '../../lib/alarms/slo';
import { ConfigError, DEFAULT_CONFIG, validateConfig } from '../../lib/config';

const sources = (overrides: Partial<CatalogueSources> = {}): CatalogueSources => ({
  stage: 'dev',
  workQueues: [
    { name: 'files', worker: 'file-worker', queueName: 'fq', deadLetterQueueName: 'fdlq', workerFunctionName: 'fw', workerTimeout: Duration.seconds(60), maxMessageAge: Duration.seconds(300) },
    { name: 'jobs', worker: 'job-worker', queueName: 'jq', deadLetterQueueName: 'jdlq', workerFunctionName: 'jw', workerTimeout: Duration.seconds(30), maxMessageAge: Duration.seconds(120) },
  ],
  apiId: 'api',
  successSloPercent: 99.9,
  freshnessSloPercent: 99,
  freshnessSloBound: Duration.seconds(300),
  ...overrides,
});
const byId = (entries: ReturnType<typeof alarmCatalogue>) => new Map(entries.map((entry) => [entry.id, entry]));

describe('the catalogue', () => {
  const catalogue = alarmCatalogue(sources());

  it('has unique kebab-case ids, each `<queue>-<kind>` with its kind as runbook (one runbook per kind, for every queue)', () => {
    const ids = catalogue.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of catalogue) {
      expect(entry.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(entry.id).toBe(entry.queue ? `${entry.queue}-${entry.runbook}` : entry.runbook);
    }
    expect(new Set(catalogue.map((entry) => entry.runbook))).toEqual(new Set([...WORK_QUEUE_ALARM_KINDS, ...API_ALARM_KINDS]));
  });

  it('gives every condition a deliberate missing-data treatment with its reason', () => {
    for (const condition of catalogue.flatMap(conditionsOf)) {
      expect(condition.treatMissingData).toBeDefined();
      expect(condition.missingDataReason).toMatch(/\S.{20,}/);
    }
  });

  it('fills every metric of every math expression, so quiet periods give 0, not gaps', () => {
    for (const condition of catalogue.flatMap(conditionsOf)) {
      if (!isMathSpec(condition.signal)) continue;
      for (const id of Object.keys(condition.signal.usingMetrics)) {
        const uses = condition.signal.expression.match(new RegExp(`\\b${id}\\b`, 'g')) ?? [];
        const filled = condition.signal.expression.match(new RegExp(`FILL\\(${id}, 0\\)`, 'g')) ?? [];
        expect(filled.length, `${id} in ${condition.signal.expression}`).toBe(uses.length);
      }
    }
  });

  it('follows the queue settings: age bound and 80% of each worker timeout', () => {
    const entries = byId(alarmCatalogue(sources({ workQueues: [{ ...sources().workQueues[0]!, workerTimeout: Duration.seconds(10), maxMessageAge: Duration.seconds(90) }] })));
    expect((entries.get('files-queue-age') as MetricAlarmEntry).threshold).toBe(90);
    expect((entries.get('files-worker-duration') as MetricAlarmEntry).threshold).toBe(8000);
    expect(entries.has('jobs-queue-age')).toBe(false);
  });

  it('builds both window pairs of each burn-rate alarm from the SLO targets', () => {
    const entries = byId(alarmCatalogue(sources({ successSloPercent: 99, freshnessSloPercent: 95, freshnessSloBound: Duration.minutes(2) })));
    const success = entries.get('jobs-success-slo-burn');
    const freshness = entries.get('files-freshness-slo-burn');
    if (success?.kind !== 'burn-rate' || freshness?.kind !== 'burn-rate') throw new Error('burn-rate entries expected');
    expect(success.windows.map((w) => [w.factor, w.long.period.toMinutes(), w.short.period.toMinutes(), w.long.threshold])).toEqual([
      [14.4, 60, 5, 14.4],
      [6, 360, 30, 6],
    ]);
    expect(isMathSpec(success.windows[0]!.long.signal) && success.windows[0]!.long.signal.expression).toContain('/ 0.01,');
    // 95% within 120 s: 14.4 × 5% = 72% late ⇔ p28 above 120 s; 6 × 5% = 30% late ⇔ p70.
    expect(freshness.windows.map((w) => [!isMathSpec(w.short.signal) && w.short.signal.statistic, w.short.threshold, w.short.sampleGuard])).toEqual([
      ['p28', 120_000, { moreThan: 1 }],
      ['p70', 120_000, { moreThan: 3 }],
    ]);
    expect(success.windows.map((w) => w.long.sampleGuard)).toEqual([
      { moreThan: 1, metricId: 'bad' },
      { moreThan: 1, metricId: 'bad' },
    ]);
  });
});

describe('burn-rate arithmetic', () => {
  it('uses the SRE workbook windows: 14.4x over 1 h and 5 min, 6x over 6 h and 30 min', () => {
    expect(BURN_RATE_WINDOWS.map((w) => [w.factor, w.long.toMinutes(), w.short.toMinutes()])).toEqual([
      [14.4, 60, 5],
      [6, 360, 30],
    ]);
  });

  it.each([
    [99.9, 0.001],
    [99, 0.01],
    [99.95, 0.0005],
    [90, 0.1],
  ])('a %d%% target leaves an error budget of %d exactly', (target, budget) => {
    expect(errorBudget(target)).toBe(budget);
  });

  it.each([
    [99, 14.4, 'p85.6'],
    [99, 6, 'p94'],
    [99.9, 14.4, 'p98.56'],
    [98, 6, 'p88'],
  ])('target %d%%, %dx: watch %s', (target, factor, percentile) => {
    expect(burnPercentile(target, factor)).toBe(percentile);
  });

  it('refuses a target too low for the burn rate to stay a share of items', () => {
    expect(() => burnPercentile(90, 14.4)).toThrow(/no percentile/);
  });
});

describe('alarm config keys', () => {
  it('defaults: no subscriptions, the repository runbooks, files 300 s / jobs 120 s, 99.9% success, 99% within 300 s', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      pagingEmails: [],
      pagingHttpsUrls: [],
      runbookBaseUrl: 'https://github.com/tidewatch/tidewatch/blob/main/runbooks',
      workQueues: { files: expect.objectContaining({ maxMessageAgeSeconds: 300 }), jobs: expect.objectContaining({ maxMessageAgeSeconds: 120 }) },
      successSloPercent: 99.9,
      freshnessSloPercent: 99,
      freshnessSloSeconds: 300,
    });
    expect(validateConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads lists from JSON or comma-separated context strings', () => {
    const config = validateConfig({ pagingEmails: 'a@example.com, b@example.com', pagingHttpsUrls: '["https://hooks.example.com/x"]' });
    expect(config.pagingEmails).toEqual(['a@example.com', 'b@example.com']);
    expect(config.pagingHttpsUrls).toEqual(['https://hooks.example.com/x']);
  });

  it.each([
    [{ pagingEmails: ['not-an-email'] }, /pagingEmails must be a list of email addresses/],
    [{ pagingHttpsUrls: ['http://plain.example.com'] }, /pagingHttpsUrls must be a list of https:\/\/ URLs/],
    [{ pagingHttpsUrls: 'nonsense' }, /pagingHttpsUrls must be a list of https:\/\/ URLs/],
    [{ runbookBaseUrl: 'runbooks/' }, /runbookBaseUrl must match/],
    [{ runbookBaseUrl: 'https://example.com/runbooks/' }, /runbookBaseUrl must match/],
    [{ workQueues: { files: { maxMessageAgeSeconds: 10 } } }, /workQueues\.files\.maxMessageAgeSeconds must be an integer from 60/],
    [{ successSloPercent: 100 }, /successSloPercent must be a number from 90 to 99.999/],
    [{ freshnessSloPercent: 90 }, /freshnessSloPercent must be a number from 94 to 99.99/],
    [{ freshnessSloSeconds: 0 }, /freshnessSloSeconds must be an integer from 1/],
  ])('%j', (raw, message) => {
    expect(() => validateConfig(raw)).toThrow(ConfigError);
    expect(() => validateConfig(raw)).toThrow(message);
  });
});
