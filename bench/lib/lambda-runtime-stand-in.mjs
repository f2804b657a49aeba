/**
 * A stand-in for Lambda's Node.js runtime client (`/var/runtime/index.mjs`), run by plain `node` with the
 * flags Lambda's bootstrap gives it. It does what the real client does around one invocation and nothing
 * more: loads `node:http` and makes its keep-alive agent, imports the handler named by `_HANDLER` from
 * `LAMBDA_TASK_ROOT`, asks the Runtime API (`AWS_LAMBDA_RUNTIME_API`) for the next invocation, sets the
 * trace header it carries, invokes, and posts the answer, as the client of the nodejs24.x runtime does.
 * That client also loads its own modules, a native HTTP client and a console patch: the runtime's side of
 * a start here is, if anything, lighter than in Lambda.
 *
 * Plain JavaScript, not TypeScript: Node's type stripping would load its own transformer into every
 * measured process. The whole process's CPU (Node's own start included) at each step goes to file
 * descriptor 3, so the handler's output (JSON logs, EMF lines) stays on stdout.
 */
import { existsSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

// Taken at load, before the handler's: a tracer that patches node:http later does not see the runtime's requests.
const { Agent, request: httpRequest } = require('node:http');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const [hostname, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');

/** One request to the Runtime API; resolves with the answer's headers and body. */
function exchange(method, apiPath, body) {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path: `/2018-06-01/runtime${apiPath}`, method, agent }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ headers: response.headers, body: text }));
    });
    request.on('error', reject).end(body);
  });
}

const errorBody = (error) => JSON.stringify({ errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) });

const figures = { timeOrigin: performance.timeOrigin, runtimeReadyCpuMs: cpuMs() };
let handler;
try {
  // As the nodejs24.x runtime client resolves `_HANDLER` ("index.handler"): the first of the module's name
  // with no extension, .js, .mjs and .cjs that exists, by import() whatever its kind.
  const [moduleName, exportName] = process.env._HANDLER.split('.');
  const base = path.join(process.env.LAMBDA_TASK_ROOT, moduleName);
  const file = ['', '.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!file) throw new Error(`no module ${base}`);
  const loaded = await import(pathToFileURL(file).href);
  handler = loaded[exportName] ?? loaded.default?.[exportName];
  if (typeof handler !== 'function') throw new Error(`${file} exports no function ${exportName}`);
} catch (error) {
  await exchange('POST', '/init/error', errorBody(error));
  process.exit(1);
}
figures.initCpuMs = cpuMs();

const next = await exchange('GET', '/invocation/next');
figures.eventReceivedCpuMs = cpuMs();
const requestId = next.headers['lambda-runtime-aws-request-id'];
const traceHeader = next.headers['lambda-runtime-trace-id'];
if (traceHeader) process.env._X_AMZN_TRACE_ID = traceHeader;
else delete process.env._X_AMZN_TRACE_ID;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
const context = {
  functionName,
  functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
  awsRequestId: requestId,
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
try {
  const result = await handler(JSON.parse(next.body), context);
  figures.handlerReturnedCpuMs = cpuMs();
  // The runtime client posts the answer a turn after the handler's promise settles: work the handler queued runs first.
  await new Promise((resolve) => setImmediate(resolve));
  await exchange('POST', `/invocation/${encodeURIComponent(requestId)}/response`, JSON.stringify(result ?? null));
} catch (error) {
  await exchange('POST', `/invocation/${encodeURIComponent(requestId)}/error`, errorBody(error));
  process.exit(1);
}
figures.answeredCpuMs = cpuMs();
writeSync(3, JSON.stringify(figures));
// Lambda freezes the environment here; the wait lets trace datagrams sent at the handler's end go out.
setTimeout(() => process.exit(0), 100);
