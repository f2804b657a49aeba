/**
 * `tidewatch cost` in-process on the real synthesized app: the stage's monitoring priced from its
 * template, what a preview drops (the SLO burn-rate alarms and their composites), the same figure the
 * review function got at synthesis, and usage errors for a bad command line.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CostReport } from '../../cli/cost';
import { runCli } from '../../cli/main';
import { ENV } from '../../contract/env';
import { PRICES } from '../../contract/prices';
import type { MonitoringCostSummary } from '../../contract/review';
import { PROJECT_ROOT } from '../../lib/project';
import { synthesizeTemplate } from '../../local/template/synthesize';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const STAGE = 'costcheck';
/** Two work queues, each with four success and four freshness burn-rate alarms and one composite per SLO. */
const BURN_RATE_ALARMS = 2 * 2 * 4;
const BURN_RATE_COMPOSITES = 2 * 2;

describe('tidewatch cost', () => {
  it('prices the stage\'s monitoring from its template, and what a preview of it drops', { timeout: 600_000 }, async () => {
    const { code, stdout } = await run(['cost', '--stage', STAGE, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CostReport;
    expect(report).toMatchObject({ stage: STAGE, stackName: `Tidewatch-${STAGE}` });
    // The two DeadLettered alarms page on a 10-second period: high resolution.
    expect(report.stageCost.inventory).toMatchObject({ highResolutionAlarmMetrics: 2, compositeAlarms: BURN_RATE_COMPOSITES, dashboards: 1, kmsKeys: 1 });
    const total = report.stageCost.cost.lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
    expect(report.stageCost.cost.monthlyUsd).toBeCloseTo(total, 10);

    // A preview has no burn-rate alarms (each reads two metrics at standard resolution) nor their composites.
    expect(report.stageCost.inventory.metricAlarms - report.asPreview.inventory.metricAlarms).toBe(BURN_RATE_ALARMS);
    expect(report.asPreview.inventory.compositeAlarms).toBe(0);
    const saved = BURN_RATE_ALARMS * 2 * PRICES.alarms.standardMetricMonths.usd + BURN_RATE_COMPOSITES * PRICES.alarms.compositeMonths.usd;
    expect(report.stageCost.cost.monthlyUsd - report.asPreview.cost.monthlyUsd).toBeCloseTo(saved, 10);

    // The review function was handed the same figure at synthesis (the template is the cached one just priced).
    const { template } = await synthesizeTemplate({ stage: STAGE, context: { tidewatch: {} }, projectRoot: PROJECT_ROOT });
    const review = Object.values(template.Resources).find((resource) => resource.Metadata?.['Tidewatch:Entry'] === 'handlers/review/index.ts');
    const variables = (review?.Properties?.Environment as { Variables: Record<string, string> }).Variables;
    const summary = JSON.parse(variables[ENV.monitoringCost]!) as MonitoringCostSummary;
    expect(summary).toEqual({ monthlyUsd: report.stageCost.cost.monthlyUsd, basis: report.stageCost.cost.basis });

    const human = await run(['cost', '--stage', STAGE]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Monitoring of Tidewatch-${STAGE}, a month`);
    expect(human.stdout).toMatch(new RegExp(`As a preview .*: \\$${report.asPreview.cost.monthlyUsd.toFixed(2)} a month, \\$${saved.toFixed(2)} less \\(drops ${BURN_RATE_ALARMS} metric alarms, ${BURN_RATE_COMPOSITES} composite alarms\\)`));
    expect(human.stdout).toMatch(/Per million items/);
  });

  it.each([
    [['cost', '--config', '{not json'], /--config must be a JSON object/],
    [['cost', '--config', '[1]'], /--config must be a JSON object/],
    [['cost', '--stack', 'Tidewatch-x'], /give --stage, not --stack/],
  ])('refuses %j with a usage error, exit 1', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});
