/**
 * The weekly review end to end on the local cloud: four weeks of known metric and alarm history lived
 * through on the driven CloudWatch clock, the scheduled review run after each week (report in S3,
 * summary on the reports topic), every figure checked against what this test computes from the
 * history; then the HTML opened in headless Chromium, and `tidewatch review` fetching and refusing.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewReport } from '../../../handlers/review/model';
import { isoWeekOf, isoWeekPeriod } from '../../../handlers/review/period';
import { monitoringCost } from '../../../lib/cost/monitoring-cost';
import { monitoringInventory } from '../../../lib/cost/monitoring-inventory';
import { launchBrowser } from '../../support/browser';
import { runTidewatch } from '../../support/tidewatch-cli';
import { PROJECT_ROOT, startReviewCloud, TIME_ZONE, type ReviewCloud } from './review-cloud';
import { alarmSpans, expectedAlarms, expectedApi, expectedQueue } from './review-expected';
import { DAY_MS, MINUTE_MS, WEEKS, WORK_QUEUES } from './review-history';

const HOUR_MS = 3_600_000;
// The fourth week ends on the first Monday at least 10.5 days from now: the dead letter sent in the third
// week (at about real now, as fauxqs stamps it) is then 10.5 to 17.5 days old at the end of the fourth.
const FOURTH_WEEK_END = ((first) => (first < Date.now() + 10.5 * DAY_MS ? first + 7 * DAY_MS : first))(isoWeekPeriod(isoWeekOf(new Date(Date.now() + 10.5 * DAY_MS))).to.getTime());
const WEEK_STARTS = WEEKS.map((_, i) => FOURTH_WEEK_END - (WEEKS.length - i) * 7 * DAY_MS);
/** Monday 08:00 UTC after each week: the schedule's default. */
const REPORT_TIME = (i: number) => WEEK_STARTS[i]! + 7 * DAY_MS + 8 * HOUR_MS;
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

let review: ReviewCloud;
let cloudWatch: CloudWatchClient;
const reports: ReviewReport[] = [];

// Synthesis (with the review's time zone) is the slow part on a loaded machine.
beforeAll(async () => {
  review = await startReviewCloud(WEEK_STARTS[0]!);
  cloudWatch = new CloudWatchClient({ endpoint: review.cloud.endpoints.aws, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}, 300_000);

afterAll(async () => {
  cloudWatch?.destroy();
  await review?.stop();
});

async function stored(key: string): Promise<string> {
  const object = await review.s3.send(new GetObjectCommand({ Bucket: review.outputs.BucketName, Key: key }));
  return object.Body!.transformToString();
}

describe('four weeks of history, one scheduled report each', () => {
  it('reports every figure of each week as the history says, and publishes a summary of it', { timeout: 600_000 }, async () => {
    let deadLetterAlarmSince: number | undefined;
    const expectedMonthlyCost = monitoringCost(monitoringInventory(Object.values(review.cloud.services.template.Resources)));
    for (const [i, week] of WEEKS.entries()) {
      const weekStart = WEEK_STARTS[i]!;
      await review.liveThrough(weekStart, week);
      if (week.deadLetterAt !== undefined) deadLetterAlarmSince = weekStart + (week.deadLetterAt + 1) * MINUTE_MS;
      const answer = await review.runSchedule(REPORT_TIME(i));
      if ('error' in answer) throw new Error(answer.message);
      const report = answer.report;
      reports.push(report);
      const label = isoWeekOf(new Date(weekStart));
      expect(report.period).toMatchObject({ week: label, from: new Date(weekStart).toISOString(), to: new Date(weekStart + 7 * DAY_MS).toISOString() });
      expect(report.period.partialUntil).toBeUndefined();

      for (const name of WORK_QUEUES) {
        const want = expectedQueue(week, name);
        const testEventInWeek = review.fileWorkerColdStartAt >= weekStart && review.fileWorkerColdStartAt < weekStart + 7 * DAY_MS;
        if (name === 'files' && testEventInWeek) want.function.coldStarts += 1;
        const got = report.queues.find((queue) => queue.name === name)!;
        expect({ week: label, queue: name, items: got.items }).toEqual({ week: label, queue: name, items: { ...want.items, redriven: 0, archived: 0 } });
        expect(got.success.ratePercent).toBeCloseToOrNull(want.ratePercent);
        expect(got.success.budgetUsedPercent).toBeCloseToOrNull(want.budgetUsedPercent);
        got.success.burnDown.forEach((day, d) => expect(day.remainingPercent).toBeCloseToOrNull(want.burnDown[d]!));
        expect(got.freshness).toMatchObject({ items: want.freshness.items, p50Ms: want.freshness.p50Ms, p99Ms: want.freshness.p99Ms });
        expect(got.freshness.withinTargetPercent).toBeCloseToOrNull(want.freshness.withinTargetPercent);
        expect({ week: label, queue: name, ...got.function }).toMatchObject({ week: label, queue: name, ...want.function });
        // The work queues stay empty: SQS reports an age of 0 for them, sampled all along.
        expect(got.queueAge).toEqual({ p99Seconds: 0, worstSeconds: 0 });
      }
      expect(report.api).toMatchObject(expectedApi(week));

      const spans = alarmSpans(week, weekStart, deadLetterAlarmSince);
      const alarms = expectedAlarms(spans, weekStart, TIME_ZONE);
      expect(report.alarms).toMatchObject({ pages: alarms.pages, nightPages: alarms.nightPages, pagesByHour: alarms.pagesByHour });
      expect(report.alarms.timeInAlarmSeconds).toBeCloseTo(alarms.timeInAlarmSeconds, 3);
      expect(report.alarms.meanTimeToRecoverSeconds).toBeCloseToOrNull(alarms.meanTimeToRecoverSeconds);
      expect(report.alarms.notable.map((alarm) => alarm.name).sort()).toEqual([...new Set(spans.map((span) => review.alarmName(span.alarmId)))].sort());

      const failures = new Map<string, number>();
      for (const failure of week.failures) failures.set(`${failure.queue}|${failure.errorClass}|${failure.message}`, (failures.get(`${failure.queue}|${failure.errorClass}|${failure.message}`) ?? 0) + 1);
      expect(Object.fromEntries(report.failureReasons.top.map((reason) => [`${reason.queue}|${reason.errorClass}|${reason.message}`, reason.count]))).toEqual(Object.fromEntries(failures));
      // The stack has the redrive ledger; nobody redrove in these weeks.
      expect(report.redrives).toEqual({ available: true, runs: [] });
      // Priced at synthesis from the stack's own constructs: the same figure `tidewatch cost` prices from the template.
      expect(report.cost).toEqual({ computed: true, monthlyUsd: expectedMonthlyCost.monthlyUsd, basis: expectedMonthlyCost.basis });
      expect(report.gathering.getMetricDataCalls).toBeLessThanOrEqual(10);

      // Written to the bucket in three formats, the JSON being the report answered; a summary on the topic.
      expect(JSON.parse(await stored(`reports/${label}/report.json`))).toEqual(report);
      expect(await stored(`reports/${label}/report.md`)).toContain(`# Weekly reliability review ${label}`);
      expect(await stored(`reports/${label}/report.html`)).toMatch(/^<!doctype html>/);
      const summaries = await review.summaries();
      expect(summaries.at(-1)!.subject).toBe(`Tidewatch local weekly review ${label}: ${alarms.pages} page(s), ${report.actions.length} action(s)`);
      expect(summaries.at(-1)!.message).toContain(`s3://${review.outputs.BucketName}/reports/${label}/report.html`);
      expect(summaries.at(-1)!.message).toContain(`npx tidewatch review --week ${label} --stage local`);
    }
    expect(reports).toHaveLength(4);
  });

  it('tells a normal week: a night page in Tokyo, a flapping alarm, its failure reasons', () => {
    const [first] = reports;
    const flapping = first!.alarms.notable.find((alarm) => alarm.name === review.alarmName('files-worker-errors'))!;
    expect(flapping).toMatchObject({ fired: 2, transitions: 4, recoveries: 2, flappingDays: 1, mostTransitionsInADay: 4, stateAtEnd: 'OK' });
    expect(first!.actions.map((action) => action.rule)).toContain('flapping');
    expect(first!.missingData).toEqual([]);
    expect(first!.trends).toMatchObject({ previousPeriod: null, weekOverWeek: [], fourWeeks: { weeksCovered: 1 } });
  });

  it('reports a week with no traffic without an error: zero counts, no rates, no alarm', () => {
    const quiet = reports[1]!;
    for (const queue of quiet.queues) {
      expect(queue.items).toMatchObject({ in: 0, processed: 0, failed: 0, deadLettered: 0 });
      expect(queue.success).toMatchObject({ ratePercent: null, met: null, budgetUsedPercent: null });
      expect(queue.freshness).toMatchObject({ items: 0, p50Ms: null, p99Ms: null, withinTargetPercent: null });
    }
    expect(quiet.alarms).toMatchObject({ pages: 0, timeInAlarmSeconds: 0, meanTimeToRecoverSeconds: null, notable: [] });
    expect(quiet.missingData).toEqual([]);
    // Week over week against the first week's report.
    const processed = quiet.trends.weekOverWeek.find((change) => change.key === 'jobs.processed')!;
    expect(processed).toEqual({ key: 'jobs.processed', previous: reports[0]!.queues[1]!.items.processed, current: 0, change: -reports[0]!.queues[1]!.items.processed });
    expect(quiet.trends.previousPeriod).toBe(reports[0]!.period.week);
  });

  it('reports a missing metric and an alarm that never cleared, and suggests what to do', () => {
    const third = reports[2]!;
    const jobs = third.queues.find((queue) => queue.name === 'jobs')!;
    expect(jobs.freshness).toMatchObject({ items: 0, p99Ms: null, withinTargetPercent: null });
    expect(third.missingData).toEqual([expect.stringMatching(/^jobs: Tidewatch EndToEndLatency .* SampleCount$/)]);
    const dlqAlarm = third.alarms.notable.find((alarm) => alarm.name === review.alarmName('jobs-dlq-not-empty'))!;
    const landed = WEEK_STARTS[2]! + (WEEKS[2]!.deadLetterAt! + 1) * MINUTE_MS;
    expect(dlqAlarm).toMatchObject({ fired: 1, recoveries: 0, meanTimeToRecoverSeconds: null, stateAtEnd: 'ALARM', inAlarmSince: new Date(landed).toISOString() });
    // A week later it is still in ALARM, since before that week began: no page that week.
    expect(reports[3]!.alarms.notable.find((alarm) => alarm.name === dlqAlarm.name)).toMatchObject({ fired: 0, stateAtEnd: 'ALARM', inAlarmSince: null, timeInAlarmSeconds: 7 * 86_400 });
    expect(jobs.deadLetterQueue.depthAtEnd).toBe(1);
    expect(third.actions.map((action) => action.rule)).toEqual(expect.arrayContaining(['never-cleared', 'success-slo-missed', 'missing-metric']));
    expect(jobs.success.met).toBe(false);
  });

  it('tells how old the dead letter is at the end of the fourth week, and which alarms never fired in four weeks', async () => {
    const fourth = reports[3]!;
    const jobs = fourth.queues.find((queue) => queue.name === 'jobs')!;
    // The last sample of the week is at its last step, Sunday 23:59.
    const lastSample = WEEK_STARTS[3]! + 7 * DAY_MS - MINUTE_MS;
    const sent = review.deadLetterSent!;
    const age = jobs.deadLetterQueue.oldestAgeSecondsAtEnd!;
    expect(age).toBeGreaterThanOrEqual(Math.floor((lastSample - sent.after) / 1000));
    expect(age).toBeLessThanOrEqual(Math.floor((lastSample - sent.before) / 1000));
    expect(jobs.deadLetterQueue.oldestExpiresInDays).toBeCloseTo(jobs.deadLetterQueue.retentionDays - age / 86_400, 6);
    expect(age).toBeGreaterThanOrEqual(10 * 86_400);
    expect(fourth.actions.find((action) => action.rule === 'dlq-expiring')!.text).toMatch(/^jobs: dead letters older than 10 days expire in \d+\.\d days \(retention 14 days\)/);

    const { MetricAlarms = [], CompositeAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${review.cloud.stackName}-`, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    const fired = new Set(WEEKS.flatMap((week) => week.episodes.map((episode) => review.alarmName(episode.alarmId))).concat(review.alarmName('jobs-dlq-not-empty')));
    const silent = [...MetricAlarms, ...CompositeAlarms].map((alarm) => alarm.AlarmName!).filter((name) => !fired.has(name)).sort();
    expect(fourth.alarms.silent).toEqual({ weeksCovered: 4, names: silent });
    expect(fourth.actions.find((action) => action.rule === 'silent-alarms')!.text).toContain(`${silent.length} alarm(s) never fired in four weeks`);

    const sum = (pick: (report: ReviewReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
    expect(fourth.trends.fourWeeks).toMatchObject({ weeksCovered: 4, pages: sum((report) => report.alarms.pages) });
    expect(fourth.trends.fourWeeks.queues.find((queue) => queue.name === 'jobs')).toMatchObject({
      processed: sum((report) => report.queues[1]!.items.processed),
      deadLettered: sum((report) => report.queues[1]!.items.deadLettered),
    });
  });
});

describe('the HTML report in a browser', () => {
  it('is one self-contained page whose charts are drawn and whose headline shows the numbers', { timeout: 120_000 }, async () => {
    const fourth = reports[3]!;
    const label = fourth.period.week!;
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `review-${label}.html`);
    writeFileSync(file, await stored(`reports/${label}/report.html`));
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(pathToFileURL(file).href);
      expect(requested).toEqual([pathToFileURL(file).href]);

      const charts = ['burn-down-files', 'daily-items-files', 'burn-down-jobs', 'daily-items-jobs', 'pages-by-hour'];
      for (const chart of charts) {
        const svg = page.locator(`figure[data-chart="${chart}"] svg`);
        const box = await svg.boundingBox();
        expect(box!.width, chart).toBeGreaterThan(200);
        expect(box!.height, chart).toBeGreaterThan(100);
        expect(await svg.locator('path').count(), chart).toBeGreaterThan(10);
      }
      const jobs = expectedQueue(WEEKS[3]!, 'jobs');
      const card = (key: string) => page.locator(`[data-figure="${key}"] .value`);
      expect(await card('jobs.processed').innerText()).toBe(jobs.items.processed.toLocaleString('en-US'));
      expect(await card('jobs.successRate').innerText()).toBe(`${jobs.ratePercent!.toFixed(2)}%`);
      expect(await card('pages').innerText()).toBe('0');
      for (const key of ['jobs.processed', 'jobs.successRate', 'pages']) expect(await card(key).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(ARTIFACTS, `review-${label}.png`), fullPage: true });

      // On a phone the page fits the screen: wide tables scroll inside their own box.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(ARTIFACTS, `review-${label}-phone.png`) });
    } finally {
      await browser.close();
    }
  });
});

describe('tidewatch review', () => {
  const target = () => ['--endpoint-url', review.cloud.endpoints.aws, '--stage', 'local'];

  it('fetches a stored week as Markdown or into an HTML file, the same documents the schedule wrote', { timeout: 300_000 }, async () => {
    const first = reports[0]!.period.week!;
    const markdown = await runTidewatch(['review', '--week', first, ...target()]);
    expect(markdown.stderr).toBe('');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toBe(await stored(`reports/${first}/report.md`));

    const fourth = reports[3]!.period.week!;
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'tidewatch-review-cli-')), 'review.html');
    const html = await runTidewatch(['review', '--week', fourth, '--out', out, ...target()]);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(new RegExp(`^wrote ${out} \\(html, \\d+ bytes\\): the review of ${fourth}, as stored`));
    expect(readFileSync(out, 'utf8')).toBe(await stored(`reports/${fourth}/report.html`));
  });

  it('refuses a period that has not started, with the function\'s message and exit code 1', { timeout: 300_000 }, async () => {
    // The review function runs on real time, and the fourth week is still to come.
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    const future = await runTidewatch(['review', '--from', day(WEEK_STARTS[3]!), '--to', day(WEEK_STARTS[3]! + DAY_MS), '--json', ...target()]);
    expect(future.code).toBe(1);
    expect(JSON.parse(future.stderr)).toEqual({ error: 'BadRequest', message: expect.stringContaining('has not started yet') });
  });
});

declare module 'vitest' {
  interface Assertion<T> {
    toBeCloseToOrNull(expected: number | null): T;
  }
}

expect.extend({
  /** Equal to within 6 decimals, or both null. */
  toBeCloseToOrNull(received: number | null, expected: number | null) {
    const pass = expected === null ? received === null : received !== null && Math.abs(received - expected) < 1e-6;
    return { pass, message: () => `expected ${received} to be ${expected === null ? 'null' : `close to ${expected}`}` };
  },
});
