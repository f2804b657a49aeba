/**
 * Counting a template's monitoring the way CloudWatch bills it, on hand-made resources: each metric a
 * math alarm reads, resolution by period, anomaly bands as three metrics, composites, dashboards, keys,
 * and the custom metrics of each project function with Powertools' ColdStart.
 */
import { describe, expect, it } from 'vitest';
import { PRICES } from '../../contract/prices';
import { WORKERS } from '../../contract/workers';
import { monitoringCost } from '../../lib/cost/monitoring-cost';
import { monitoringInventory, type TemplateResource } from '../../lib/cost/monitoring-inventory';
import { ENTRY_METADATA_KEY } from '../../lib/project';

const alarm = (properties: Record<string, unknown>): TemplateResource => ({ Type: 'AWS::CloudWatch::Alarm', Properties: properties });
const stat = (id: string, period: number) => ({ Id: id, MetricStat: { Metric: { Namespace: 'Tidewatch', MetricName: id }, Period: period, Stat: 'Sum' } });
const fn = (name: string): TemplateResource => ({ Type: 'AWS::Lambda::Function', Metadata: { [ENTRY_METADATA_KEY]: `handlers/${name}/index.ts` } });

describe('monitoringInventory', () => {
  it('bills a metric alarm per metric it reads, at high resolution below a 60-second period', () => {
    const inventory = monitoringInventory([
      alarm({ MetricName: 'DeadLettered', Period: 10 }),
      alarm({ MetricName: 'Throttles', Period: 60 }),
      alarm({ Metrics: [{ Id: 'ratio', Expression: 'bad / good' }, stat('good', 300), stat('bad', 300)] }),
      alarm({ Metrics: [{ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m)' }, stat('m', 60)], ThresholdMetricId: 'band' }),
    ]);
    expect(inventory).toMatchObject({ metricAlarms: 4, highResolutionAlarmMetrics: 1, standardAlarmMetrics: 1 + 2 + 3 });
  });

  it('counts composites, dashboards and keys, and nothing for resources it does not price', () => {
    const inventory = monitoringInventory([
      { Type: 'AWS::CloudWatch::CompositeAlarm' },
      { Type: 'AWS::CloudWatch::CompositeAlarm' },
      { Type: 'AWS::CloudWatch::Dashboard' },
      { Type: 'AWS::KMS::Key' },
      { Type: 'AWS::SQS::Queue' },
    ]);
    expect(inventory).toEqual({ metricAlarms: 0, standardAlarmMetrics: 0, highResolutionAlarmMetrics: 0, compositeAlarms: 2, customMetrics: 0, dashboards: 1, kmsKeys: 1 });
  });

  it('counts each function\'s own metrics (the redrive\'s once per work queue) and one ColdStart each; a foreign function none', () => {
    const workers = [fn('file-worker'), fn('job-worker')];
    const inventory = monitoringInventory([...workers, fn('presign'), fn('submit-job'), fn('job-status'), fn('redrive'), { Type: 'AWS::Lambda::Function' }]);
    const ownMetrics = WORKERS['file-worker'].emits.length + WORKERS['job-worker'].emits.length + 1 + 1 + 0 + 2 * workers.length;
    expect(inventory.customMetrics).toBe(ownMetrics + 6);
  });
});

describe('monitoringCost', () => {
  it('prices each line at the table\'s list price and sums them', () => {
    const cost = monitoringCost({ metricAlarms: 3, standardAlarmMetrics: 4, highResolutionAlarmMetrics: 2, compositeAlarms: 1, customMetrics: 10, dashboards: 1, kmsKeys: 1 });
    const expected = 4 * PRICES.alarms.standardMetricMonths.usd + 2 * PRICES.alarms.highResolutionMetricMonths.usd + PRICES.alarms.compositeMonths.usd + 10 * PRICES.metrics.customMetricMonths.usd + PRICES.dashboards.months.usd + PRICES.kms.customerManagedKeyMonths.usd;
    expect(cost.monthlyUsd).toBeCloseTo(expected, 10);
    expect(cost.monthlyUsd).toBeCloseTo(0.4 + 0.6 + 0.5 + 3 + 3 + 1, 10);
    expect(cost.lines.every((line) => line.source.startsWith('https://aws.amazon.com/'))).toBe(true);
    expect(cost.basis).toMatch(/^3 metric alarms, 1 composite alarms, 10 custom metrics, 1 dashboard, 1 KMS key; us-east-1 list prices of \d{4}-\d{2}-\d{2}, no free tier$/);
  });
});
