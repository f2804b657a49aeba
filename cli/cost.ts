/**
 * `tidewatch cost`: what a stage's monitoring costs a month, from its synthesized template (synthesis
 * is offline: no AWS call), what the same stage would cost as a preview (the monitoring a preview
 * drops), and the cost per million items of the last `bench/cost.ts` run.
 */
import { DEFAULT_STAGE, stackName } from '../contract/naming';
import { PRICES_AS_OF, PRICES_REGION } from '../contract/prices';
import { readBenchmarkResult, type CostBenchmarkResult } from '../lib/cost/benchmark-result';
import { monitoringCost, type MonitoringCost } from '../lib/cost/monitoring-cost';
import { monitoringInventory, type MonitoringInventory } from '../lib/cost/monitoring-inventory';
import { PROJECT_ROOT } from '../lib/project';
import type { CommandContext, CommandOutput } from './command';
import { UsageError } from './errors';
import { stringFlag } from './options';
import { table, type Style } from './terminal';

const PATH = 'cost';

/** What the preview workflow deploys a pull request's stage with, besides its stage name. */
const PREVIEW_SETTINGS = { preview: true, sloBurnRateAlarms: false } as const;

export interface StageCost {
  readonly inventory: MonitoringInventory;
  readonly cost: MonitoringCost;
}

export interface CostReport {
  readonly stage: string;
  readonly stackName: string;
  readonly stageCost: StageCost;
  /** The same stage deployed as a preview. */
  readonly asPreview: StageCost;
  readonly perMillionItems: CostBenchmarkResult | null;
}

export async function cost({ flags, env }: CommandContext): Promise<CommandOutput> {
  if (stringFlag(flags, 'stack') !== undefined) throw new UsageError('cost synthesizes a stage: give --stage, not --stack', PATH);
  const config = configFlag(stringFlag(flags, 'config'));
  const stage = stringFlag(flags, 'stage') ?? (typeof config.stage === 'string' ? config.stage : undefined) ?? nonEmpty(env.TIDEWATCH_STAGE) ?? DEFAULT_STAGE;
  const [stageCost, asPreview, perMillionItems] = await Promise.all([
    costOfStage(stage, config),
    costOfStage(stage, { ...config, ...PREVIEW_SETTINGS }),
    readBenchmarkResult(),
  ]);
  const report: CostReport = { stage, stackName: stackName(stage), stageCost, asPreview, perMillionItems: perMillionItems ?? null };
  return { json: report, exitCode: 0, human: (style) => renderCost(report, style) };
}

/** The monitoring cost of one stage's synthesized template. */
export async function costOfStage(stage: string, config: Record<string, unknown>): Promise<StageCost> {
  // Loaded here, not with the module: a mistaken --stack or --config is told without loading aws-cdk-lib (a second).
  const { synthesizeTemplate } = await import('../local/template/synthesize');
  const { template } = await synthesizeTemplate({ stage, context: { tidewatch: config }, projectRoot: PROJECT_ROOT });
  const inventory = monitoringInventory(Object.values(template.Resources));
  return { inventory, cost: monitoringCost(inventory) };
}

function configFlag(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError(`--config must be a JSON object, got ${JSON.stringify(value)}`, PATH);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--config must be a JSON object', PATH);
  return parsed as Record<string, unknown>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const usd = (value: number) => `$${value.toFixed(2)}`;

export function renderCost(report: CostReport, style: Style): string {
  const { stageCost, asPreview } = report;
  const rows = [
    ['', 'quantity', '$ a month'],
    ...stageCost.cost.lines.map((line) => [line.item, String(line.quantity), usd(line.monthlyUsd)]),
    ['total', '', style.bold(usd(stageCost.cost.monthlyUsd))],
  ];
  const lines = [
    style.bold(`Monitoring of ${report.stackName}, a month (${PRICES_REGION} list prices of ${PRICES_AS_OF}, no free tier)`),
    ...table(rows, ['left', 'right', 'right']),
    '',
    previewLine(stageCost, asPreview),
    '',
    perMillionLine(report.perMillionItems),
  ];
  return `${lines.join('\n')}\n`;
}

function previewLine(stage: StageCost, preview: StageCost): string {
  const saved = stage.cost.monthlyUsd - preview.cost.monthlyUsd;
  if (saved <= 0) return `As a preview (preview, no SLO burn-rate alarms): the same, ${usd(preview.cost.monthlyUsd)} a month.`;
  const fewer = (label: string, key: keyof MonitoringInventory) => {
    const dropped = stage.inventory[key] - preview.inventory[key];
    return dropped > 0 ? [`${dropped} ${label}`] : [];
  };
  const dropped = [...fewer('metric alarms', 'metricAlarms'), ...fewer('composite alarms', 'compositeAlarms'), ...fewer('custom metrics', 'customMetrics')];
  return `As a preview (preview, no SLO burn-rate alarms): ${usd(preview.cost.monthlyUsd)} a month, ${usd(saved)} less (drops ${dropped.join(', ')}).`;
}

function perMillionLine(result: CostBenchmarkResult | null): string {
  if (!result) return 'Per million items: no benchmark yet (run `npx tsx bench/cost.ts`).';
  return (
    `Per million items (bench/cost.ts of ${result.ranAt.slice(0, 10)}, ${result.files} files and ${result.jobs} jobs): ` +
    `Tidewatch ${usd(result.tidewatch.usdPerMillionItems)}, the naive pipeline ${usd(result.naive.usdPerMillionItems)} (${result.ratio.toFixed(2)} ×).`
  );
}
