/**
 * A metric a worker emits on every record costs its EMF bytes on every record and a custom metric a
 * month: each must have a reader. Every metric of contract/workers.ts is watched by an alarm or drawn on
 * the dashboard (both from the synthesized template), read by the weekly review's metric plan, or
 * queried by a runbook.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKERS } from '../../contract/workers';
import type { ReviewSources } from '../../contract/review';
import { planSeries } from '../../handlers/review/metric-plan';
import { PROJECT_ROOT } from '../../lib/project';
import { metricStats, templateAlarms } from '../alarms/template';
import { resourcesOfType, synthesize } from '../stack/synth';

const synth = synthesize({ stage: 'readers' });
afterAll(() => synth.dispose());

const sources: ReviewSources = {
  stackName: 'Tidewatch-readers',
  stage: 'readers',
  timeZone: 'UTC',
  successSloPercent: 99.9,
  freshnessSloPercent: 99,
  freshnessSloSeconds: 300,
  deadLetterRetentionDays: 14,
  apiId: 'api',
  workQueues: Object.keys(WORKERS).map((worker) => ({
    name: worker,
    worker: worker as keyof typeof WORKERS,
    queueName: `${worker}-queue`,
    deadLetterQueueName: `${worker}-dlq`,
    workerFunctionName: worker,
    workerTimeoutSeconds: 30,
  })),
};

function readers(): { alarms: Set<string>; dashboard: string; review: Set<string>; runbooks: string } {
  const alarms = new Set([...templateAlarms(synth.json).values()].flatMap((alarm) => (alarm.type === 'AWS::CloudWatch::Alarm' ? metricStats(alarm.props).map((stat) => stat.metricName) : [])));
  const dashboard = JSON.stringify(Object.values(resourcesOfType(synth.json, 'AWS::CloudWatch::Dashboard')));
  const review = new Set(planSeries(sources, 7 * 86_400).map((series) => series.query.MetricStat?.Metric?.MetricName).filter((name): name is string => name !== undefined));
  const folder = path.join(PROJECT_ROOT, 'runbooks');
  const runbooks = readdirSync(folder).map((file) => readFileSync(path.join(folder, file), 'utf8')).join('\n');
  return { alarms, dashboard, review, runbooks };
}

describe('worker metrics', () => {
  it('each have a reader: an alarm, the dashboard, the weekly review or a runbook', () => {
    const { alarms, dashboard, review, runbooks } = readers();
    const unread = [...new Set(Object.values(WORKERS).flatMap((worker) => worker.emits.map((metric) => metric.name)))].filter(
      (name) => !alarms.has(name) && !dashboard.includes(`"${name}"`) && !review.has(name) && !new RegExp(`MetricName=${name}\\b`).test(runbooks),
    );
    expect(unread).toEqual([]);
  });
});
