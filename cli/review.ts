/**
 * `tidewatch review`: the weekly reliability review on demand. Invokes the stack's review function
 * (one code path with the scheduled report, run with its own least-privilege role): a week that has
 * a stored report answers with it, anything else is built then and there. Renders HTML, Markdown or
 * JSON here, to stdout or a file.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { REPORT_FORMATS, type ReportFormat } from '../contract/review';
import type { ReviewReport } from '../handlers/review/model';
import { dayRangePeriod, isoWeekPeriod, lastCompleteWeek, PeriodError, type ReviewPeriod } from '../handlers/review/period';
import { renderMarkdown } from '../handlers/review/render-markdown';
import type { ReviewAnswer } from '../handlers/review/request';
import type { CommandContext, CommandOutput } from './command';
import { CliError, UsageError } from './errors';
import { invokeForJson } from './invoke-function';
import { readStackOutputs } from './stack-outputs';
import type { FlagValues } from './options';

const PATH = 'review';

const RENDER: Record<ReportFormat, (report: ReviewReport) => string | Promise<string>> = {
  // Loaded on use: the charting library would add most of a second to every Markdown or JSON review.
  html: async (report) => (await import('../handlers/review/render-html')).renderHtml(report),
  md: renderMarkdown,
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

export async function review({ target, clients, flags, now }: CommandContext): Promise<CommandOutput> {
  const period = periodOf(flags, now);
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  const format = formatOf(flags.format, out);
  const outputs = await readStackOutputs(await clients.cloudFormation(), target);
  const answer = await invokeReview(await clients.lambda(), outputs.require('ReviewFunctionName'), period);
  const document = await RENDER[format](answer.report);
  if (out) await writeFile(out, document);
  const written = out ? { out, format, bytes: Buffer.byteLength(document), period: period.label, source: answer.source } : undefined;
  return {
    json: written ?? answer.report,
    exitCode: 0,
    human: () => (written ? `wrote ${out} (${format}, ${written.bytes} bytes): the review of ${period.label}, ${answer.source === 'stored' ? 'as stored' : 'built now'}\n` : document),
  };
}

function periodOf(flags: FlagValues, now: Date): ReviewPeriod {
  const week = typeof flags.week === 'string' ? flags.week : undefined;
  const from = typeof flags.from === 'string' ? flags.from : undefined;
  const to = typeof flags.to === 'string' ? flags.to : undefined;
  if (week !== undefined && (from !== undefined || to !== undefined)) throw new UsageError('give --week or --from/--to, not both', PATH);
  if ((from === undefined) !== (to === undefined)) throw new UsageError('--from and --to go together', PATH);
  try {
    if (week !== undefined) return isoWeekPeriod(week);
    if (from !== undefined && to !== undefined) return dayRangePeriod(from, to);
    return lastCompleteWeek(now);
  } catch (error) {
    if (error instanceof PeriodError) throw new UsageError(error.message, PATH);
    throw error;
  }
}

function formatOf(flag: FlagValues[string], out: string | undefined): ReportFormat {
  const given = typeof flag === 'string' ? flag : out ? extname(out).slice(1).toLowerCase() : 'md';
  const format = given === 'markdown' || given === 'htm' ? ({ markdown: 'md', htm: 'html' } as const)[given] : given;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}${typeof flag === 'string' ? '' : ` (could not tell from --out ${out})`}, got ${JSON.stringify(given)}`, PATH);
  }
  return format as ReportFormat;
}

async function invokeReview(lambda: LambdaClient, functionName: string, period: ReviewPeriod): Promise<Extract<ReviewAnswer, { report: unknown }>> {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const request = period.week ? { action: 'review', week: period.week } : { action: 'review', from: day(period.from), to: day(period.to) };
  const answer = (await invokeForJson(lambda, functionName, request, 'ReviewFailed')) as ReviewAnswer;
  if ('error' in answer) throw new CliError(`the review function refused the request: ${answer.message}`, answer.error);
  return answer;
}
