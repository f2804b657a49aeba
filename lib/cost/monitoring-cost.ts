/**
 * The fixed monthly cost of a stage's monitoring: its inventory (monitoring-inventory.ts) at the price
 * table's list prices. Custom metrics are priced as if every one were emitted every hour of the month
 * (CloudWatch prorates by the hour), so the figure is an upper bound.
 */
import { PRICES, PRICES_AS_OF, PRICES_REGION, priced, type Price } from '../../contract/prices';
import type { MonitoringInventory } from './monitoring-inventory';

export interface MonitoringCostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly monthlyUsd: number;
  readonly source: string;
}

export interface MonitoringCost {
  readonly lines: readonly MonitoringCostLine[];
  readonly monthlyUsd: number;
  /** One line saying what the figure covers and which prices it uses. */
  readonly basis: string;
}

export function monitoringCost(inventory: MonitoringInventory): MonitoringCost {
  const line = (item: string, quantity: number, unitPrice: Price): MonitoringCostLine => ({
    item,
    quantity,
    unit: unitPrice.unit,
    monthlyUsd: priced(unitPrice, quantity),
    source: unitPrice.source,
  });
  const lines = [
    line('alarm metrics, standard resolution', inventory.standardAlarmMetrics, PRICES.alarms.standardMetricMonths),
    line('alarm metrics, high resolution', inventory.highResolutionAlarmMetrics, PRICES.alarms.highResolutionMetricMonths),
    line('composite alarms', inventory.compositeAlarms, PRICES.alarms.compositeMonths),
    line('custom metrics', inventory.customMetrics, PRICES.metrics.customMetricMonths),
    line('dashboards', inventory.dashboards, PRICES.dashboards.months),
    line('KMS keys', inventory.kmsKeys, PRICES.kms.customerManagedKeyMonths),
  ];
  const monthlyUsd = lines.reduce((sum, { monthlyUsd: usd }) => sum + usd, 0);
  const basis =
    `${inventory.metricAlarms} metric alarms, ${inventory.compositeAlarms} composite alarms, ${inventory.customMetrics} custom metrics, ` +
    `${inventory.dashboards} dashboard${inventory.dashboards === 1 ? '' : 's'}, ${inventory.kmsKeys} KMS key${inventory.kmsKeys === 1 ? '' : 's'}; ` +
    `${PRICES_REGION} list prices of ${PRICES_AS_OF}, no free tier`;
  return { lines, monthlyUsd, basis };
}
