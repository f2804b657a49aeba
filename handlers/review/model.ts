/**
 * The weekly review report: what the JSON holds, and what the HTML and Markdown render. Figures are
 * `null` where CloudWatch had no data (a gauge never reported, a percentile of no items), never a
 * made-up zero; counts with no datapoints are 0, since CloudWatch reports nothing when nothing happened.
 * Later reports read earlier ones (week over week, four weeks), so the shape is versioned.
 */
import type { WorkerName } from '../../contract/workers';

export const REPORT_VERSION = 1;

export interface ReviewReport {
  readonly version: typeof REPORT_VERSION;
  readonly period: {
    readonly label: string;
    readonly week?: string;
    /** ISO timestamps; `to` is exclusive. */
    readonly from: string;
    readonly to: string;
    /** Set when the report was built before the period ended: figures run up to this time. */
    readonly partialUntil?: string;
    /** The UTC days covered, `YYYY-MM-DD`. */
    readonly days: readonly string[];
  };
  readonly generatedAt: string;
  readonly stack: { readonly name: string; readonly stage: string };
  readonly timeZone: string;
  readonly slo: { readonly successPercent: number; readonly freshnessPercent: number; readonly freshnessSeconds: number };
  readonly queues: readonly QueueReview[];
  readonly api: ApiReview;
  readonly alarms: AlarmsReview;
  readonly redrives: RedriveReview;
  readonly failureReasons: FailureReasonsReview;
  readonly cost: CostReview;
  readonly headline: readonly HeadlineFigure[];
  readonly trends: TrendsReview;
  readonly actions: readonly SuggestedAction[];
  /** Metrics that had no datapoint at all in the period, in words. */
  readonly missingData: readonly string[];
  readonly gathering: GatheringStats;
}

export interface DailyCounts {
  readonly day: string;
  readonly in: number;
  readonly processed: number;
  readonly failed: number;
  readonly deadLettered: number;
}

export interface QueueReview {
  readonly name: string;
  readonly worker: WorkerName;
  readonly items: {
    /** Messages sent to the queue (producers, S3 notifications and redrives). */
    readonly in: number;
    readonly processed: number;
    /** null: the worker kind has no duplicates. */
    readonly duplicates: number | null;
    /** Ended FAILED for bad input (never retried), dead letters not included. */
    readonly failed: number;
    readonly deadLettered: number;
    /** From the redrive ledger; null without one. */
    readonly redriven: number | null;
    readonly archived: number | null;
  };
  readonly daily: readonly DailyCounts[];
  readonly success: {
    /** Processed without being dead-lettered, percent; null with no item at all. */
    readonly ratePercent: number | null;
    /** Items the SLO counts: processed + dead-lettered (rejected ones are neither good nor bad). */
    readonly good: number;
    readonly bad: number;
    readonly met: boolean | null;
    /** Share of the period's error budget (budget × items) spent, percent. */
    readonly budgetUsedPercent: number | null;
    /** Budget left at the end of each day, percent of the period's budget (negative once overspent). */
    readonly burnDown: ReadonlyArray<{ readonly day: string; readonly remainingPercent: number | null }>;
  };
  readonly freshness: {
    readonly items: number;
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly withinTargetPercent: number | null;
    readonly met: boolean | null;
    readonly budgetUsedPercent: number | null;
  };
  readonly queueAge: { readonly p99Seconds: number | null; readonly worstSeconds: number | null };
  readonly deadLetterQueue: {
    readonly depthAtEnd: number | null;
    readonly oldestAgeSecondsAtEnd: number | null;
    /** Days until the oldest dead letter expires (retention less its age); null when the DLQ is empty. */
    readonly oldestExpiresInDays: number | null;
    readonly retentionDays: number;
  };
  readonly function: {
    readonly functionName: string;
    readonly invocations: number;
    readonly errors: number;
    readonly throttles: number;
    readonly coldStarts: number;
    readonly durationP99Ms: number | null;
    readonly timeoutMs: number;
    readonly durationP99ShareOfTimeoutPercent: number | null;
  };
}

export interface ApiReview {
  readonly requests: number;
  readonly clientErrors: number;
  readonly serverErrors: number;
  readonly serverErrorRatePercent: number | null;
  readonly latencyP99Ms: number | null;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmReview {
  readonly name: string;
  readonly queue?: string;
  readonly severity?: string;
  readonly runbookUrl?: string;
  /** Notifies someone on ALARM (burn-rate windows only feed their composite). */
  readonly paging: boolean;
  /** Transitions into ALARM in the period (pages, for a paging alarm). */
  readonly fired: number;
  readonly transitions: number;
  readonly timeInAlarmSeconds: number;
  /** ALARM → OK recoveries ending in the period. */
  readonly recoveries: number;
  readonly meanTimeToRecoverSeconds: number | null;
  /** Days (in the team's time zone) with three or more transitions. */
  readonly flappingDays: number;
  readonly mostTransitionsInADay: number;
  readonly stateAtEnd: AlarmState;
  /** In ALARM at the end of the period since this time (ISO); null when it entered ALARM before the period (or is not in ALARM). */
  readonly inAlarmSince: string | null;
}

export interface AlarmsReview {
  readonly total: number;
  readonly pages: number;
  /** Pages from 22:00 to 07:00 in the team's time zone. */
  readonly nightPages: number;
  /** Pages by hour of day, 0..23, in the team's time zone. */
  readonly pagesByHour: readonly number[];
  readonly timeInAlarmSeconds: number;
  readonly meanTimeToRecoverSeconds: number | null;
  /** Alarms that fired, flapped or were in ALARM at some point, most pages first. */
  readonly notable: readonly AlarmReview[];
  /** Every alarm's count of firings, so later reports can tell which never fired. */
  readonly firedByAlarm: Readonly<Record<string, number>>;
  /** Alarms that never fired in this period and the three before; `weeksCovered` < 4 when reports are missing. */
  readonly silent: { readonly weeksCovered: number; readonly names: readonly string[] };
}

export interface RedriveRunReview {
  readonly queue: string;
  readonly requestedBy: string;
  readonly at: string;
  readonly action: string;
  readonly moved: number;
  readonly failed: number;
  readonly archived: number;
  /** Of the moved items, how many were processed since; null when the ledger cannot tell. */
  readonly succeededAfter: number | null;
}

export type RedriveReview =
  | { readonly available: false; readonly note: string }
  | { readonly available: true; readonly runs: readonly RedriveRunReview[] };

export interface FailureReason {
  readonly queue: string;
  readonly errorClass: string;
  readonly message: string;
  readonly count: number;
}

export interface FailureReasonsReview {
  readonly failedItems: number;
  readonly top: readonly FailureReason[];
  /** True when the index held more failures than a report reads: counts are of the newest ones. */
  readonly truncated: boolean;
}

export type CostReview =
  | { readonly computed: false; readonly note: string }
  | { readonly computed: true; readonly monthlyUsd: number; readonly basis: string };

export type FigureUnit = 'count' | 'percent' | 'seconds' | 'milliseconds';

/** A figure the summary and the trends follow from week to week; `better` says which way is good. */
export interface HeadlineFigure {
  readonly key: string;
  readonly label: string;
  readonly value: number | null;
  readonly unit: FigureUnit;
  readonly better: 'up' | 'down';
}

export interface FigureChange {
  readonly key: string;
  readonly previous: number | null;
  readonly current: number | null;
  /** current − previous; null when either is missing. */
  readonly change: number | null;
}

export interface FourWeekQueue {
  readonly name: string;
  readonly processed: number;
  readonly deadLettered: number;
  readonly successRatePercent: number | null;
  readonly budgetUsedPercent: number | null;
}

export interface TrendsReview {
  /** The previous week's report, when there is one (weeks only). */
  readonly previousPeriod: string | null;
  readonly weekOverWeek: readonly FigureChange[];
  readonly fourWeeks: {
    /** Weeks with a report among this one and the three before. */
    readonly weeksCovered: number;
    readonly queues: readonly FourWeekQueue[];
    readonly pages: number;
    readonly timeInAlarmSeconds: number;
  };
}

export interface SuggestedAction {
  /** The rule that suggested it, e.g. `dlq-expiring`. */
  readonly rule: string;
  readonly severity: 'high' | 'medium' | 'low';
  readonly text: string;
}

export interface GatheringStats {
  readonly getMetricDataCalls: number;
  readonly describeAlarmsCalls: number;
  readonly describeAlarmHistoryCalls: number;
  readonly statusIndexQueries: number;
  readonly previousReportsRead: number;
  readonly durationMs: number;
}
