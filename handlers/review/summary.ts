/**
 * The short summary published to the reports topic: the headline figures with their change since last
 * week, the most pressing suggested actions, where the report is, and the command that fetches it.
 */
import type { ReviewReport } from './model';
import { headlineRows } from './report-sections';

/** SNS subjects are at most 100 characters. */
const MAX_SUBJECT = 100;
const ACTIONS_LISTED = 3;

export interface Summary {
  readonly subject: string;
  readonly message: string;
}

export function reviewSummary(report: ReviewReport, location: { bucket: string; htmlKey: string }): Summary {
  const fetch = `npx tidewatch review --week ${report.period.label} --stage ${report.stack.stage} --format html --out review-${report.period.label}.html`;
  const actions = report.actions.slice(0, ACTIONS_LISTED).map((action) => `- [${action.severity}] ${action.text}`);
  const lines = [
    `Weekly reliability review ${report.period.label} of ${report.stack.name} (${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)}, UTC).`,
    '',
    ...headlineRows(report).map((row) => `- ${row.label}: ${row.value}${row.change ? ` (${row.change} vs last week)` : ''}`),
    '',
    report.actions.length === 0 ? 'Suggested actions: none.' : `Suggested actions (${report.actions.length}):`,
    ...actions,
    ...(report.actions.length > ACTIONS_LISTED ? [`- ... and ${report.actions.length - ACTIONS_LISTED} more in the report.`] : []),
    '',
    `Report: s3://${location.bucket}/${location.htmlKey} (beside it report.md and report.json)`,
    `Fetch it: ${fetch}`,
  ];
  const subject = `Tidewatch ${report.stack.stage} weekly review ${report.period.label}: ${report.alarms.pages} page(s), ${report.actions.length} action(s)`;
  return { subject: subject.slice(0, MAX_SUBJECT), message: lines.join('\n') };
}
