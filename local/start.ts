/**
 * `npm start`: synthesizes the stack and runs it offline until Ctrl-C. Prints the endpoints, a few
 * commands to try, every function's output, every page the template's alarms send, and how long
 * start-to-ready took.
 */
import { parseArgs } from 'node:util';
import { startLocalCloud, type LocalCloud } from './cloud';
import { formatPage } from './pages';

const USAGE = `Usage: npm start -- [options]

Runs the whole Tidewatch stack on this machine: no AWS account, no network.

Options:
  --port <n>           AWS-compatible endpoint port (SQS, SNS, S3, DynamoDB, Lambda, ...)     [4566]
  --api-port <n>       HTTP API port                                                          [3000]
  --download-port <n>  local CloudFront port (processed/ downloads)                           [3001]
  --keep               keep data from the previous run (under .tidewatch/data); default is a fresh start
  --state-dir <path>   where logs, kept data and outputs.json live                            [.tidewatch]
  --help               show this help
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const FLAGS = {
  port: { type: 'string', default: '4566' },
  'api-port': { type: 'string', default: '3000' },
  'download-port': { type: 'string', default: '3001' },
  keep: { type: 'boolean', default: false },
  'state-dir': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function parseOptions(argv: string[]) {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true }));
  } catch (error) {
    // Unknown flags and missing values: the parser's own message says which.
    throw new UsageError((error as Error).message);
  }
  const port = (name: 'port' | 'api-port' | 'download-port') => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new UsageError(`--${name} must be a port number (0-65535), got ${JSON.stringify(values[name])}`);
    return value;
  };
  return {
    help: values.help,
    keep: values.keep,
    stateDirectory: values['state-dir'],
    port: port('port'),
    apiPort: port('api-port'),
    downloadPort: port('download-port'),
  };
}

function tryIt(cloud: LocalCloud): string {
  const { api, aws } = cloud.endpoints;
  const queue = cloud.outputs.JobsQueueUrl ?? '<JobsQueueUrl>';
  return `Try it:
  curl -s -X POST ${api}jobs -H 'content-type: application/json' -d '{"task":"echo","payload":{"hello":"world"}}'
  curl -s ${api}jobs/<jobId>
  curl -s -X POST ${api}presign -H 'content-type: application/json' -d '{"fileName":"people.csv","contentType":"text/csv"}'
  curl -s -X PUT -H 'content-type: text/csv' --data-binary @people.csv '<uploadUrl>'
  aws --endpoint-url ${aws} sqs get-queue-attributes --queue-url ${queue} --attribute-names All
  aws --endpoint-url ${aws} cloudformation describe-stacks --stack-name ${cloud.stackName}
  aws --endpoint-url ${aws} cloudwatch describe-alarms --state-value ALARM
  aws --endpoint-url ${aws} lambda list-functions --query 'Functions[].FunctionName'
(the aws CLI needs credentials of any value and a region: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1)
`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  // The SDK's own switch for exactly this warning: the functions run on nodejs24.x in AWS, and this
  // process on the machine's Node 20, where the warning would say nothing the user can act on here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.stdout.write(`Tidewatch local cloud: synthesizing the stack and starting${options.keep ? ' (keeping data)' : ''}...\n`);
  const cloud = await startLocalCloud({
    ...options,
    print: process.stdout,
    onPage: (page) => {
      const text = formatPage(page, { colour: process.stdout.isTTY });
      if (text) process.stdout.write(text);
    },
  });
  // Time since this process started: what a user waits for after `npm start` (synthesis included).
  const readySeconds = (performance.now() / 1000).toFixed(1);
  process.stdout.write(`\n${tryIt(cloud)}\nReady in ${readySeconds} s. Press Ctrl-C to stop.\n\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without a clean stop\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping (waiting for invocations in flight)...\n`);
    cloud.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: Error) => {
        process.stderr.write(`Stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (is another local cloud running? stop it, or choose other ports with --port, --api-port, --download-port)' : '';
  process.stderr.write(`tidewatch: ${error.message}${hint}\n${error instanceof UsageError ? `\n${USAGE}` : ''}`);
  process.exit(1);
});
