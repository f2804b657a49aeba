/** File worker (files queue) entry: its S3 client and upload rules; the shared worker entry wires the rest. */
import { S3Client } from '@aws-sdk/client-s3';
import { workerHandler } from '../shared/worker-handler';
import { readUploadRules } from './settings';
import { fileWorkerKind } from './worker-kind';

export const handler = workerHandler('file-worker', ({ instrumentation, store }) =>
  fileWorkerKind({ s3: instrumentation.tracer.captureAWSv3Client(new S3Client({})), store, rules: readUploadRules(), instrumentation }),
);
