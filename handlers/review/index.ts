/** The weekly review function: Powertools and client wiring only; the work is in review-handler.ts. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contract/env';
import type { MonitoringCostSummary } from '../../contract/review';
import { requireEnv, requireJsonEnv } from '../shared/env';
import { instrument, instrumented } from '../shared/powertools';
import { Ledger } from '../redrive/ledger';
import { statusItems } from '../redrive/status-items';
import { pricedAtSynthesis } from './monthly-cost';
import { auditLedgerRedrives, noRedriveLedger, type RedriveLedger } from './redrive-ledger';
import { handleReview, type ReviewHandlerDependencies } from './review-handler';
import { parseReviewSources } from './sources';

const instrumentation = instrument('review');
const { tracer } = instrumentation;
const documents = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const sources = parseReviewSources(requireJsonEnv('reviewSources'));
const statusTable = requireEnv('statusTable');
const ledgerTable = process.env[ENV.redriveLedgerTable];

/** The redrive ledger when the stack has one; a toolkit stack without the redrive function has none. */
const redriveLedger: RedriveLedger = ledgerTable
  ? auditLedgerRedrives(new Ledger(documents, ledgerTable), sources.workQueues.map((queue) => queue.name), (ids) => statusItems(documents, statusTable, ids))
  : noRedriveLedger;

const deps: ReviewHandlerDependencies = {
  cloudWatch: tracer.captureAWSv3Client(new CloudWatchClient({})),
  documents,
  s3: tracer.captureAWSv3Client(new S3Client({})),
  sns: tracer.captureAWSv3Client(new SNSClient({})),
  bucket: requireEnv('bucket'),
  statusTable,
  reportsTopicArn: requireEnv('reportsTopicArn'),
  sources,
  redriveLedger,
  monthlyCost: pricedAtSynthesis(requireJsonEnv('monitoringCost') as MonitoringCostSummary),
  now: () => new Date(),
};

export const handler = instrumented((event: unknown) => handleReview(event, deps), instrumentation);
