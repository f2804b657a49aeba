/**
 * `npm start`: synthesizes the stack and runs it offline until Ctrl-C. Prints the endpoints, a few
 * commands to try, every function's output (one readable line per log record, or as written with
 * `--raw`), every page the template's alarms send, and how long start-to-ready took.
 */
import { parseArgs } from 'node:util';
import { startLocalCloud, type LocalCloud } from './cloud';
import { formatPage } from './pages';
import { readableLogLine } from './terminal/log-format';
import { stopOnSignals } from './terminal/stop-on-signal';

const USAGE = `Usage: npm start -- [options]

Runs the whole Tidewatch stack on this machine: no AWS account, no network.

Options:
  --port <n>           AWS-compatible endpoint port (SQS, SNS, S3, DynamoDB, Lambda, ...)     [4566]
  --api-port <n>       HTTP API port                                                          [3000]
  --download-port <n>  local CloudFront port (the console at /, processed/ downloads)         [3001]
  --keep               keep data from the previous run (under <data-dir>/data); default is a fresh start
  --data-dir <dir>     where data, function logs and outputs.json live                        [.tidewatch]
  --raw                print function output as written (JSON log records, EMF metrics)
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
  'data-dir': { type: 'string' },
  raw: { type: 'boolean', default: false },
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
  return { help: values.help, raw: values.raw, keep: values.keep, stateDirectory: values['data-dir'], port: port('port'), apiPort: port('api-port'), downloadPort: port('download-port') };
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
  // hasColors() honours NO_COLOR, FORCE_COLOR and TERM=dumb.
  const colour = process.stdout.isTTY === true && process.stdout.hasColors();
  process.stdout.write(`Tidewatch local cloud: synthesizing the stack and starting${options.keep ? ' (keeping data)' : ''}...\n`);
  const cloud = await startLocalCloud({
    ...options,
    print: process.stdout,
    printFormat: options.raw ? undefined : (line) => readableLogLine(line, { colour }),
    onPage: (page) => {
      const text = formatPage(page, { colour });
      // Blank lines around it: a page is a block of its own among the function output.
      if (text) process.stdout.write(`\n${text}\n`);
    },
  });
  // Time since this process started: what a user waits for after `npm start` (synthesis included).
  const readySeconds = (performance.now() / 1000).toFixed(1);
  process.stdout.write(`\n${tryIt(cloud)}\nReady in ${readySeconds} s. Press Ctrl-C to stop.\n\n`);

  stopOnSignals(() => cloud.stop());
}

main().catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (is another local cloud running? stop it, or choose other ports with --port, --api-port, --download-port)' : '';
  process.stderr.write(`tidewatch: ${error.message}${hint}\n${error instanceof UsageError ? `\n${USAGE}` : ''}`);
  process.exit(1);
});
