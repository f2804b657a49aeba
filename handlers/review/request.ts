/**
 * What the review function is asked, and what it answers. EventBridge's Scheduled Event (its `time`
 * says which week just ended) builds, stores and announces last week's report; `tidewatch review` asks
 * for a week (the stored report when there is one) or a range of days (built on demand, not stored).
 */
import * as z from 'zod';
import type { ReportFormat } from '../../contract/review';
import type { ReviewReport } from './model';
import { dayRangePeriod, isoWeekPeriod, lastCompleteWeek, PeriodError, type ReviewPeriod } from './period';

const scheduledEvent = z.object({ 'detail-type': z.literal('Scheduled Event'), time: z.iso.datetime() });
const onDemand = z.union([
  z.object({ action: z.literal('review'), week: z.string() }).strict(),
  z.object({ action: z.literal('review'), from: z.string(), to: z.string() }).strict(),
]);

export type ReviewRequest =
  | { readonly kind: 'scheduled'; readonly period: ReviewPeriod; readonly at: Date }
  | { readonly kind: 'on-demand'; readonly period: ReviewPeriod };

export type ReviewAnswer =
  | { readonly source: 'stored' | 'built'; readonly report: ReviewReport; readonly keys?: Readonly<Record<ReportFormat, string>> }
  | { readonly error: 'BadRequest'; readonly message: string };

export class BadReviewRequest extends Error {
  override readonly name = 'BadReviewRequest';
}

export function parseReviewRequest(event: unknown): ReviewRequest {
  const scheduled = scheduledEvent.safeParse(event);
  if (scheduled.success) {
    const at = new Date(scheduled.data.time);
    return { kind: 'scheduled', period: lastCompleteWeek(at), at };
  }
  const request = onDemand.safeParse(event);
  if (!request.success) {
    throw new BadReviewRequest('expected a Scheduled Event, {"action":"review","week":"2026-W47"} or {"action":"review","from":"2026-11-16","to":"2026-11-23"}');
  }
  try {
    return { kind: 'on-demand', period: 'week' in request.data ? isoWeekPeriod(request.data.week) : dayRangePeriod(request.data.from, request.data.to) };
  } catch (error) {
    if (error instanceof PeriodError) throw new BadReviewRequest(error.message);
    throw error;
  }
}
