/**
 * The Lambda API of the template's functions, a service of the one AWS endpoint (REST-JSON, signed
 * for `lambda`): `Invoke` runs a function in its host, as every other trigger does, so its logs, EMF
 * metrics and invocation metrics are captured alike; `GetFunction` and `ListFunctions` describe them.
 * The runtime registers it once the hosts exist.
 */
import type { HandlerResult, InboundRequest, LocalService, RestOperation, Route } from '../services/local-service';
import type { FunctionHost } from './function-host';
import { findFunction, functionArn, type FunctionLocation } from './lambda-function-name';
import { invokeFunction } from './lambda-invoke';

const OPERATIONS: readonly RestOperation[] = [
  { action: 'Invoke', method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations' },
  { action: 'GetFunction', method: 'GET', path: '/2015-03-31/functions/{FunctionName}' },
  { action: 'ListFunctions', method: 'GET', path: '/2015-03-31/functions' },
];

export interface LambdaServiceOptions extends FunctionLocation {
  /** The functions, by physical name. */
  readonly functions: ReadonlyMap<string, FunctionHost>;
}

export function lambdaService(options: LambdaServiceOptions): LocalService {
  const { functions } = options;
  const hostOf = (request: InboundRequest, route: Route): FunctionHost => {
    const qualifier = new URLSearchParams(request.url.split('?')[1] ?? '').get('Qualifier');
    return findFunction(route.pathParameters?.FunctionName ?? '', qualifier, options, functions);
  };
  const actions: Record<string, (request: InboundRequest, route: Route) => Promise<HandlerResult>> = {
    Invoke: (request, route) => invokeFunction(hostOf(request, route), request),
    GetFunction: async (request, route) => json({ Configuration: configuration(hostOf(request, route), options) }),
    ListFunctions: async () => {
      const all = [...functions.values()].sort((a, b) => a.name.localeCompare(b.name));
      return json({ Functions: all.map((host) => configuration(host, options)) });
    },
  };
  return {
    name: 'Lambda',
    routes: { signingName: 'lambda', protocol: 'rest-json', restOperations: OPERATIONS },
    supports: Object.keys(actions),
    handle: (request, route) => actions[route.action as string](request, route),
  };
}

/** The function's configuration as Lambda reports it, as far as the local cloud knows it. */
function configuration(host: FunctionHost, location: FunctionLocation): Record<string, unknown> {
  return {
    FunctionName: host.name,
    FunctionArn: functionArn(location, host.name),
    Handler: host.lambdaHandler,
    Timeout: host.spec.timeoutSeconds,
    MemorySize: host.spec.memoryMiB,
    Environment: { Variables: host.spec.environment },
    Version: '$LATEST',
    PackageType: 'Zip',
    State: 'Active',
    LastUpdateStatus: 'Successful',
  };
}

function json(body: unknown): HandlerResult {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
