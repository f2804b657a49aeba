/**
 * The weekly review over one week of one-minute data for every work queue, on the local cloud: the
 * CloudWatch calls one report makes (every page counted, by an SDK middleware on the client, not by the
 * report's own tally) and the time it takes to gather, to render, and end to end through the review
 * function. `--extra-queues N` adds job-worker queues, to show the calls do not grow with them.
 * Target: at most 10 GetMetricData calls per report.
 *
 *   npx tsx bench/review.ts [--extra-queues 8]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../contract/env';
import { METRICS, METRICS_NAMESPACE } from '../contract/metrics';
import type { ReviewSources } from '../contract/review';
import { WORKERS } from '../contract/workers';
import { buildReport } from '../handlers/review/build-report';
import { costNotYetComputed } from '../handlers/review/monthly-cost';
import { lastCompleteWeek } from '../handlers/review/period';
import { noRedriveLedger } from '../handlers/review/redrive-ledger';
import { renderHtml } from '../handlers/review/render-html';
import { renderMarkdown } from '../handlers/review/render-markdown';
import { startLocalCloud } from '../local/cloud';
import { synthesizeTemplate } from '../local/template/synthesize';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const TARGET_GET_METRIC_DATA_CALLS = 10;
const MINUTE_MS = 60_000;
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const { values } = parseArgs({ options: { 'extra-queues': { type: 'string', default: '0' } } });
const extraQueues = Number(values['extra-queues']);
const workQueues = Object.fromEntries(Array.from({ length: extraQueues }, (_, i) => [`extra${i + 1}`, { worker: 'job-worker' }]));

const template = await synthesizeTemplate({ context: { workQueues }, projectRoot: PROJECT_ROOT });
const stateDirectory = await mkdtemp(path.join(tmpdir(), 'tidewatch-bench-review-'));
const cloud = await startLocalCloud({ template, projectRoot: PROJECT_ROOT, port: 0, apiPort: 0, downloadPort: 0, stateDirectory });
const common = { endpoint: cloud.endpoints.aws, region: cloud.services.region, credentials: CREDENTIALS };
const writer = new CloudWatchClient(common);
try {
  const reviewFunction = cloud.services.functions.find((fn) => fn.name === cloud.outputs.ReviewFunctionName)!;
  const sources = JSON.parse(reviewFunction.environment[ENV.reviewSources]!) as ReviewSources;
  const period = lastCompleteWeek(new Date());
  const minutes = (period.to.getTime() - period.from.getTime()) / MINUTE_MS;

  const writeStarted = performance.now();
  let datapoints = 0;
  for (const queue of sources.workQueues) {
    const worker = WORKERS[queue.worker];
    const dimensions = [
      { Name: 'service', Value: queue.worker },
      { Name: 'stage', Value: sources.stage },
      { Name: 'queue', Value: queue.name },
    ];
    const data: MetricDatum[] = [];
    for (let minute = 0; minute < minutes; minute += 1) {
      const Timestamp = new Date(period.from.getTime() + minute * MINUTE_MS);
      const datum = (MetricName: string, Value: number): MetricDatum => ({ MetricName, Dimensions: dimensions, Timestamp, Value, Unit: 'Count' });
      data.push(datum(worker.succeeded.name, 10 + (minute % 7)), datum(worker.failed.name, minute % 97 === 0 ? 1 : 0), datum(METRICS.deadLettered.name, minute % 331 === 0 ? 1 : 0));
      data.push({ MetricName: METRICS.endToEndLatency.name, Dimensions: dimensions, Timestamp, Values: [800 + (minute % 50) * 10, 2000 + (minute % 13) * 100], Unit: 'Milliseconds' });
      cloud.cloudWatch.recordInvocation({ functionName: queue.workerFunctionName, durationMs: 40 + (minute % 60), error: minute % 500 === 0, timestamp: Timestamp.getTime() });
    }
    for (let i = 0; i < data.length; i += 1000) await writer.send(new PutMetricDataCommand({ Namespace: METRICS_NAMESPACE, MetricData: data.slice(i, i + 1000) }));
    datapoints += data.length;
  }
  for (let minute = 0; minute < minutes; minute += 1) {
    cloud.cloudWatch.recordApiRequest({ apiId: sources.apiId, status: minute % 211 === 0 ? 502 : 200, latencyMs: 20 + (minute % 30), timestamp: period.from.getTime() + minute * MINUTE_MS });
  }
  const writeSeconds = (performance.now() - writeStarted) / 1000;

  // Every request the report's CloudWatch client sends, pages included, counted on the way out.
  const calls = new Map<string, number>();
  const cloudWatch = new CloudWatchClient(common);
  cloudWatch.middlewareStack.add(
    (next, context) => async (args) => {
      calls.set(context.commandName ?? '?', (calls.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  const deps = {
    cloudWatch,
    documents,
    s3,
    bucket: cloud.outputs.BucketName!,
    statusTable: cloud.outputs.StatusTableName!,
    sources,
    redriveLedger: noRedriveLedger,
    monthlyCost: costNotYetComputed,
  };
  const gatherStarted = performance.now();
  const report = await buildReport(deps, period, new Date());
  const gatherMs = performance.now() - gatherStarted;
  const renderStarted = performance.now();
  const html = await renderHtml(report);
  const markdown = renderMarkdown(report);
  const renderMs = performance.now() - renderStarted;

  const lambda = new LambdaClient(common);
  /** One on-demand invocation's time, or what went wrong (an init timeout on a loaded machine, say). */
  const invoke = async (): Promise<string> => {
    const started = performance.now();
    const result = await lambda.send(new InvokeCommand({ FunctionName: cloud.outputs.ReviewFunctionName, Payload: Buffer.from(JSON.stringify({ action: 'review', week: period.week })) }));
    if (result.FunctionError) return `failed: ${Buffer.from(result.Payload ?? []).toString().slice(0, 120)}`;
    return (performance.now() - started).toFixed(0);
  };
  const coldMs = await invoke();
  const warmMs = await invoke();

  const getMetricData = calls.get('GetMetricDataCommand') ?? 0;
  console.log(`Weekly review of ${period.label}: ${sources.workQueues.length} work queues, ${minutes} minutes of one-minute data (${datapoints.toLocaleString('en-US')} PutMetricData datums, written in ${writeSeconds.toFixed(1)} s)`);
  console.log('');
  console.log('| CloudWatch action | calls (pages included) |');
  console.log('|---|---:|');
  for (const [action, count] of [...calls].sort()) console.log(`| ${action.replace(/Command$/, '')} | ${count} |`);
  console.log('');
  console.log('| step | ms |');
  console.log('|---|---:|');
  console.log(`| gather (CloudWatch, status index, earlier reports) | ${gatherMs.toFixed(0)} |`);
  console.log(`| render HTML (${(html.length / 1024).toFixed(0)} KiB, 5+ SVG charts) and Markdown (${(markdown.length / 1024).toFixed(0)} KiB) | ${renderMs.toFixed(0)} |`);
  console.log(`| review function, on demand, first invocation (bundle and cold start included) | ${coldMs} |`);
  console.log(`| review function, on demand, warm | ${warmMs} |`);
  console.log('');
  console.log(`GetMetricData calls: ${getMetricData} (target <= ${TARGET_GET_METRIC_DATA_CALLS}: ${getMetricData <= TARGET_GET_METRIC_DATA_CALLS ? 'met' : 'NOT met'}); the report's own tally: ${report.gathering.getMetricDataCalls}`);
  for (const client of [cloudWatch, s3, documents, lambda]) client.destroy();
} finally {
  writer.destroy();
  await cloud.stop();
  await rm(stateDirectory, { recursive: true, force: true });
}
