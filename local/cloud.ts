/**
 * The local cloud: the whole stack offline. Binds the runtime's HTTP ports, starts the services
 * (synthesis, emulators, gateway, provisioning) with those ports, registers the local CloudWatch at
 * the endpoint and feeds it from both halves, wires the runtime to the services, writes the stack
 * outputs to `.tidewatch/outputs.json` in the shape of `cdk deploy --outputs-file` and prints the
 * endpoints.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createLocalCloudWatch, fauxqsOldestMessage, type Clock, type LocalCloudWatch, type PageEvent } from './cloudwatch';
import { LocalRuntime, type LineFormat } from './runtime';
import { runDeploymentCalls } from './runtime/deployment-calls';
import { startLocalServices } from './services';
import type { LocalServices, SynthesizedStack } from './template/model';
import { LOCAL_CREDENTIALS } from '../contract/local-cloud';

export interface LocalCloudOptions {
  /** Port of the AWS-compatible endpoint; 0 picks a free one. @default 4566 */
  readonly port?: number;
  /** Port of the HTTP API; 0 picks a free one. @default 3000 */
  readonly apiPort?: number;
  /** Port of the local CloudFront; 0 picks a free one. @default 3001 */
  readonly downloadPort?: number;
  /**
   * Keep everything across runs under `<stateDirectory>/data` (queues, messages, topics, buckets,
   * objects, tables, metrics, alarm states and history) and the function logs; otherwise start fresh.
   * @default false
   */
  readonly keep?: boolean;
  /** Root of the project (its `lib/` app and `handlers/`). @default process.cwd() */
  readonly projectRoot?: string;
  /** Where logs, kept data and the outputs file live. @default '<projectRoot>/.tidewatch' */
  readonly stateDirectory?: string;
  /** Stage of the synthesized stack. @default 'local' */
  readonly stage?: string;
  /** A template already synthesized (tests); skips synthesis. @default synthesizes the app */
  readonly template?: SynthesizedStack;
  /** Where function output (prefixed by function name) and warnings are printed; undefined prints nothing. @default undefined */
  readonly print?: Writable & { readonly isTTY?: boolean };
  /** How a printed line of function output reads; undefined from it leaves the line out (log files keep it). @default the line as written */
  readonly printFormat?: LineFormat;
  /** Longest `stop()` waits for invocations in flight. @default 10 */
  readonly stopGraceSeconds?: number;
  /** Long-poll wait of the SQS pollers, seconds. @default 20 */
  readonly pollWaitSeconds?: number;
  /**
   * The local CloudWatch's time: alarm evaluation, queue sampling and the timestamps of the queue,
   * function and API metrics (EMF metrics keep their own). Tests inject one to fast-forward through
   * alarms that need minutes of data. @default the system clock
   */
  readonly cloudWatchClock?: Clock;
  /** Called for every alarm action run (a page sent, or why not), from the first evaluation on. @default none */
  readonly onPage?: (page: PageEvent) => void;
  /** Milliseconds added to every answer of the AWS endpoint, standing for the network in AWS (benchmarks). @default 0 */
  readonly networkLatencyMs?: number;
  /** Where every function's execution environments write a V8 CPU profile of their threads when they end (profiling). @default none */
  readonly functionCpuProfileDirectory?: string;
}

export interface LocalCloudEndpoints {
  /** The AWS-compatible endpoint (`--endpoint-url`). */
  readonly aws: string;
  /** The HTTP API base URL, ending in `/` (the `ApiUrl` output). */
  readonly api: string;
  /** The local CloudFront base URL, ending in `/` (the `DownloadUrl` output). */
  readonly downloads: string;
}

export interface LocalCloud {
  readonly stackName: string;
  readonly endpoints: LocalCloudEndpoints;
  /** The stack outputs, resolved locally. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Path of the outputs file written at start. */
  readonly outputsFile: string;
  /** The services half (e.g. to plug a CloudWatch handler). */
  readonly services: LocalServices;
  /** The runtime half (function output lines, invocations, API requests). */
  readonly runtime: LocalRuntime;
  /** The local CloudWatch: metrics, the template's alarms, and each page (`onPage`). */
  readonly cloudWatch: LocalCloudWatch;
  /** Stops pollers (waiting for invocations in flight), workers, servers and services. */
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const stateDirectory = options.stateDirectory ?? join(projectRoot, '.tidewatch');
  const logDirectory = join(stateDirectory, 'logs');
  const dataDirectory = join(stateDirectory, 'data');
  const outputsFile = join(stateDirectory, 'outputs.json');
  if (!options.keep) await rm(logDirectory, { recursive: true, force: true });
  await mkdir(stateDirectory, { recursive: true });

  const runtime = await LocalRuntime.bind({ apiPort: options.apiPort, downloadPort: options.downloadPort });
  let services: LocalServices | undefined;
  let cloudWatch: PluggedCloudWatch | undefined;
  let stopped: Promise<void> | undefined;
  // Once stopping, requests cut short (long polls, samples in flight) are expected, not worth a warning.
  const warn = (message: string) => {
    if (!stopped) options.print?.write(`${message}\n`);
  };
  try {
    services = await startLocalServices({
      port: options.port,
      apiPort: runtime.apiPort,
      downloadPort: runtime.downloadPort,
      keep: options.keep,
      dataDir: dataDirectory,
      stage: options.stage,
      projectRoot,
      template: options.template,
      onWarning: warn,
      networkLatencyMs: options.networkLatencyMs,
    });
    const keptStateDirectory = options.keep ? join(dataDirectory, 'cloudwatch') : undefined;
    cloudWatch = plugCloudWatch(services, runtime, { ...options, keptStateDirectory }, (message) => warn(`cloudwatch: ${message}`));
    for (const resource of services.unsupportedResources) {
      options.print?.write(`not emulated: ${resource.logicalId} (${resource.type}): ${resource.reason}\n`);
    }
    runtime.start(services, {
      logDirectory,
      print: options.print,
      printFormat: options.printFormat,
      stopGraceSeconds: options.stopGraceSeconds,
      pollWaitSeconds: options.pollWaitSeconds,
      functionCpuProfileDirectory: options.functionCpuProfileDirectory,
    });
    await deploy(services);
    await writeFile(outputsFile, `${JSON.stringify({ [services.stackName]: services.outputs }, null, 2)}\n`);
    // Last: every alarm is evaluated at once, on a cloud that is ready.
    cloudWatch.start();
  } catch (error) {
    cloudWatch?.stop();
    await runtime.stop();
    await services?.stop();
    throw error;
  }

  const running = services;
  const plugged = cloudWatch;
  const endpoints = { aws: running.endpoint, api: `${runtime.apiUrl}/`, downloads: `${runtime.downloadUrl}/` };
  options.print?.write(
    [
      `AWS endpoint   ${endpoints.aws}   (${running.serviceNames.join(', ')}: --endpoint-url)`,
      `HTTP API       ${endpoints.api}`,
      `Console        ${endpoints.downloads}`,
      `Downloads      ${endpoints.downloads}processed/...`,
      `Dashboard      ${endpoints.downloads}dashboard`,
      `Outputs        ${outputsFile}`,
      `Function logs  ${logDirectory}`,
      '',
    ].join('\n'),
  );
  return {
    stackName: running.stackName,
    endpoints,
    outputs: running.outputs,
    outputsFile,
    services: running,
    runtime,
    cloudWatch: plugged.cloudWatch,
    stop() {
      if (!stopped) {
        // Alarms first: nothing is evaluated or paged on a cloud that is shutting down.
        plugged.stop();
        stopped = runtime.stop().then(() => running.stop());
      }
      return stopped;
    },
  };
}

interface PluggedCloudWatch {
  readonly cloudWatch: LocalCloudWatch;
  /** Starts alarm evaluation and queue sampling. */
  start(): void;
  stop(): void;
}

/**
 * Creates the local CloudWatch from the template, registers its API at the endpoint and feeds it: SQS
 * actions from the gateway, function output (EMF), invocations and API requests from the runtime, and
 * every queue of the template, sampled. Names are the template's resolved names, as the alarms expect.
 */
function plugCloudWatch(
  services: LocalServices,
  runtime: LocalRuntime,
  options: LocalCloudOptions & { readonly keptStateDirectory?: string },
  warn: (message: string) => void,
): PluggedCloudWatch {
  const cloudWatch = createLocalCloudWatch({
    template: services.template,
    resolve: (value) => services.resolve(value),
    endpoint: services.endpoint,
    region: services.region,
    accountId: services.accountId,
    clock: options.cloudWatchClock,
    keptStateDirectory: options.keptStateDirectory,
  });
  const unregister = services.register(cloudWatch.service);
  if (options.onPage) cloudWatch.onPage(options.onPage);
  cloudWatch.onWarning(warn);
  const unsubscribe = [
    unregister,
    services.onSqsAction((queueName, action, count) => cloudWatch.recordSqsAction(queueName, action, count)),
    runtime.onLine((functionName, line) => cloudWatch.ingestLine(functionName, line)),
    runtime.onInvocation(({ functionName, durationMs, error, concurrent }) =>
      cloudWatch.recordInvocation({ functionName, durationMs, error: error !== undefined, concurrent }),
    ),
    runtime.onApiRequest((request) => cloudWatch.recordApiRequest(request)),
  ];
  const queueUrls = Object.entries(services.template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
    .map(([logicalId]) => String(services.resolve({ Ref: logicalId })));
  const sqs = new SQSClient({ endpoint: services.endpoint, region: services.region, credentials: LOCAL_CREDENTIALS });
  return {
    cloudWatch,
    start() {
      cloudWatch.startSampling({ sqs, queueUrls, oldestMessage: fauxqsOldestMessage(services.fauxqsEndpoint) });
      cloudWatch.start();
    },
    stop() {
      cloudWatch.stop();
      for (const off of unsubscribe) off();
      sqs.destroy();
    },
  };
}

/** Runs the template's deployment calls (the console's files into the bucket), as CloudFormation does on create. */
async function deploy(services: LocalServices): Promise<void> {
  const s3 = new S3Client({ endpoint: services.endpoint, region: services.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  try {
    await runDeploymentCalls(services, s3);
  } finally {
    s3.destroy();
  }
}
