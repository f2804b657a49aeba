/**
 * Reports in the bucket: each period's HTML, Markdown and JSON under `reports/<period>/`, and the
 * earlier weeks' JSON read back for the trends. A report of another format version is not a baseline.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reportKey, REPORT_FORMATS, type ReportFormat } from '../../contract/review';
import { REPORT_VERSION, type ReviewReport } from './model';
import { weekBefore } from './period';

const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
};

export async function readStoredReport(s3: S3Client, bucket: string, period: string): Promise<ReviewReport | undefined> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKey(period, 'json') }));
    const report = JSON.parse(await answer.Body!.transformToString()) as ReviewReport;
    return report.version === REPORT_VERSION ? report : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The reports of the `count` weeks before `week` that exist, newest first. */
export async function readEarlierReports(s3: S3Client, bucket: string, week: string, count: number): Promise<ReviewReport[]> {
  const weeks = Array.from({ length: count }, (_, i) => weekBefore(week, i + 1));
  const reports = await Promise.all(weeks.map((earlier) => readStoredReport(s3, bucket, earlier)));
  return reports.filter((report): report is ReviewReport => report !== undefined);
}

/** Writes the three documents of a period; returns their keys. */
export async function storeReport(s3: S3Client, bucket: string, period: string, documents: Record<ReportFormat, string>): Promise<Record<ReportFormat, string>> {
  const keys = Object.fromEntries(REPORT_FORMATS.map((format) => [format, reportKey(period, format)])) as Record<ReportFormat, string>;
  await Promise.all(
    REPORT_FORMATS.map((format) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[format], Body: documents[format], ContentType: CONTENT_TYPES[format] }))),
  );
  return keys;
}
