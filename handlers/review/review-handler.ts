/**
 * The review function's work, behind its Powertools wiring: a scheduled run builds last week's report,
 * writes it to the bucket in three formats and publishes the summary to the reports topic; an
 * on-demand request answers a stored week's report, or builds the report without storing it. A bad
 * request is answered, not thrown: asking again the same way would fail the same way.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { buildReport, type ReviewDependencies } from './build-report';
import { PeriodError } from './period';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { readStoredReport, storeReport } from './report-store';
import { BadReviewRequest, parseReviewRequest, type ReviewAnswer } from './request';
import { reviewSummary } from './summary';

export interface ReviewHandlerDependencies extends ReviewDependencies {
  readonly sns: SNSClient;
  readonly reportsTopicArn: string;
  readonly now: () => Date;
}

export async function handleReview(event: unknown, deps: ReviewHandlerDependencies): Promise<ReviewAnswer> {
  try {
    const request = parseReviewRequest(event);
    if (request.kind === 'on-demand') {
      const stored = request.period.week ? await readStoredReport(deps.s3, deps.bucket, request.period.label) : undefined;
      if (stored) return { source: 'stored', report: stored };
      return { source: 'built', report: await buildReport(deps, request.period, deps.now()) };
    }
    const report = await buildReport(deps, request.period, request.at);
    const keys = await storeReport(deps.s3, deps.bucket, report.period.label, {
      html: await renderHtml(report),
      md: renderMarkdown(report),
      json: `${JSON.stringify(report, null, 2)}\n`,
    });
    const summary = reviewSummary(report, { bucket: deps.bucket, htmlKey: keys.html });
    await deps.sns.send(new PublishCommand({ TopicArn: deps.reportsTopicArn, Subject: summary.subject, Message: summary.message }));
    return { source: 'built', report, keys };
  } catch (error) {
    if (error instanceof BadReviewRequest || error instanceof PeriodError) return { error: 'BadRequest', message: error.message };
    throw error;
  }
}
