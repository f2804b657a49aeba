/**
 * The shape of the alarm catalogue: plain, typed data that the stack builds alarms from, the dashboard
 * shows, the runbooks are named after and the tests read. Nothing here creates a construct.
 */
import type { Duration } from 'aws-cdk-lib';
import type { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Severity } from '../../contract/alarm-description';

export type { Severity } from '../../contract/alarm-description';

/** One CloudWatch metric as a MetricStat names it. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Maximum`, `Minimum`, `p99`, ... */
  readonly statistic: string;
}

/** A metric math expression over named metrics (ids start with a lower-case letter). */
export interface MathSpec {
  readonly expression: string;
  readonly usingMetrics: Readonly<Record<string, MetricSpec>>;
  /** What the expression's value means, e.g. `error rate (%)`. */
  readonly label: string;
}

export type AlarmSignal = MetricSpec | MathSpec;

export function isMathSpec(signal: AlarmSignal): signal is MathSpec {
  return 'expression' in signal;
}

/** When a signal is in breach: all a CloudWatch metric alarm needs besides its name, description and actions. */
export interface AlarmCondition {
  readonly signal: AlarmSignal;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  /** Why this missing-data treatment, in one line: no alarm may sit in INSUFFICIENT_DATA on a quiet, healthy pipeline. */
  readonly missingDataReason: string;
  /**
   * Evaluate a period only when it holds more than `moreThan` samples: of the signal's own metric, or the
   * value of the math's metric `metricId`. Other periods count as missing data.
   * @default - every period is evaluated
   */
  readonly sampleGuard?: { readonly moreThan: number; readonly metricId?: string };
}

interface AlarmEntryBase {
  /** Kebab-case, unique: the alarm's name is `<stack name>-<id>`. */
  readonly id: string;
  readonly title: string;
  /** One line of what is wrong when it fires: the first line of the alarm's description. */
  readonly summary: string;
  readonly severity: Severity;
  /** The runbook's id, `runbooks/<runbook>.md`: the alarm's kind, the same for every work queue. */
  readonly runbook: string;
  /** The work queue the alarm watches; none for the API's alarms. */
  readonly queue?: string;
}

/** One metric (or metric math) alarm. */
export interface MetricAlarmEntry extends AlarmEntryBase, AlarmCondition {
  readonly kind: 'metric';
}

/** One window pair of a multi-window burn-rate alarm: both windows must burn faster than `factor`. */
export interface BurnRateWindowPair {
  /** How many times faster than sustainable the error budget burns. */
  readonly factor: number;
  readonly long: AlarmCondition;
  readonly short: AlarmCondition;
}

/**
 * A multi-window, multi-burn-rate SLO alarm (Google SRE workbook, ch. 5): fires when, for any window
 * pair, the long window and the short window both burn faster than the pair's factor. The long window
 * makes it significant, the short one makes it reset soon after recovery.
 */
export interface BurnRateAlarmEntry extends AlarmEntryBase {
  readonly kind: 'burn-rate';
  readonly windows: readonly BurnRateWindowPair[];
}

export type AlarmEntry = MetricAlarmEntry | BurnRateAlarmEntry;

/** Every metric alarm condition of an entry: itself, or the windows of a burn-rate alarm. */
export function conditionsOf(entry: AlarmEntry): AlarmCondition[] {
  return entry.kind === 'metric' ? [entry] : entry.windows.flatMap((pair) => [pair.long, pair.short]);
}
