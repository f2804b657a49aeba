/**
 * Week over week and four weeks, from the earlier reports' JSON (CloudWatch keeps one-minute data 15
 * days, so old weeks are never re-read from metrics): each headline figure against last week's, and
 * per queue the four weeks pooled (success rate and budget over all their items, not an average of
 * weekly rates).
 */
import { errorBudget } from '../../contract/slo';
import type { FigureChange, FourWeekQueue, HeadlineFigure, ReviewReport, TrendsReview } from './model';

export interface TrendsInput {
  readonly headline: readonly HeadlineFigure[];
  readonly current: Pick<ReviewReport, 'queues' | 'alarms'>;
  /** The reports of the previous weeks that exist, newest first (at most three are used). */
  readonly earlier: readonly ReviewReport[];
  /** The week right before this one: its report is the week-over-week baseline only if it is that week's. */
  readonly previousWeek: string | null;
  readonly successSloPercent: number;
}

export function trends(input: TrendsInput): TrendsReview {
  const previous = input.earlier.find((report) => report.period.week !== undefined && report.period.week === input.previousWeek);
  const previousFigures = new Map((previous?.headline ?? []).map((figure) => [figure.key, figure.value]));
  const weekOverWeek: FigureChange[] = previous
    ? input.headline.map((figure) => {
        const before = previousFigures.get(figure.key) ?? null;
        return { key: figure.key, previous: before, current: figure.value, change: before === null || figure.value === null ? null : figure.value - before };
      })
    : [];
  const weeks = [input.current, ...input.earlier.slice(0, 3)];
  const budget = errorBudget(input.successSloPercent);
  const queues = input.current.queues.map((queue): FourWeekQueue => {
    const same = weeks.flatMap((week) => week.queues.filter((candidate) => candidate.name === queue.name));
    const good = same.reduce((total, week) => total + week.success.good, 0);
    const bad = same.reduce((total, week) => total + week.success.bad, 0);
    return {
      name: queue.name,
      processed: same.reduce((total, week) => total + week.items.processed, 0),
      deadLettered: same.reduce((total, week) => total + week.items.deadLettered, 0),
      successRatePercent: good + bad > 0 ? (good / (good + bad)) * 100 : null,
      budgetUsedPercent: good + bad > 0 ? (bad / (budget * (good + bad))) * 100 : null,
    };
  });
  return {
    previousPeriod: previous?.period.label ?? null,
    weekOverWeek,
    fourWeeks: {
      weeksCovered: weeks.length,
      queues,
      pages: weeks.reduce((total, week) => total + week.alarms.pages, 0),
      timeInAlarmSeconds: weeks.reduce((total, week) => total + week.alarms.timeInAlarmSeconds, 0),
    },
  };
}
