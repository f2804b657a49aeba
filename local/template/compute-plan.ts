/**
 * Reads what the runtime half runs from the template: project functions (with their environment
 * resolved), SQS event source mappings, HTTP API routes and CORS, and schedules.
 */
import * as path from 'node:path';
import type { IntrinsicResolver } from './intrinsics';
import type { CfnResource, LocalCors, LocalEventSourceMapping, LocalFunction, LocalHttpRoute, LocalSchedule, UnsupportedResource } from './model';
import { UnsupportedTemplateError } from './resource-identity';

export interface ComputePlan {
  readonly functions: LocalFunction[];
  readonly eventSourceMappings: LocalEventSourceMapping[];
  readonly httpRoutes: LocalHttpRoute[];
  readonly cors: LocalCors | undefined;
  readonly schedules: LocalSchedule[];
  readonly unsupported: UnsupportedResource[];
}

export function planCompute(resources: [string, CfnResource][], resolver: IntrinsicResolver, projectRoot: string): ComputePlan {
  const unsupported: UnsupportedResource[] = [];
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const props = (logicalId: string, resource: CfnResource) =>
    (resolver.resolve(resource.Properties ?? {}, `Resources.${logicalId}.Properties`) ?? {}) as Record<string, unknown>;

  const functions = ofType('AWS::Lambda::Function')
    .filter(([, resource]) => resource.Metadata?.['Tidewatch:Entry'] !== undefined)
    .map(([logicalId, resource]) => localFunction(logicalId, resource, resolver, projectRoot));
  // Resolved names and ARNs of project functions → their logical ids, whichever way a resource refers to them.
  const functionIds = new Map<string, string>();
  for (const fn of functions) {
    functionIds.set(fn.name, fn.logicalId);
    functionIds.set(resolver.identity.getAtt(fn.logicalId, 'Arn'), fn.logicalId);
  }
  const functionOf = (reference: unknown) => functionIds.get(String(reference).replace(/^arn:aws:apigateway:[^:]+:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/, '$1'));

  const eventSourceMappings = ofType('AWS::Lambda::EventSourceMapping').flatMap(([logicalId, resource]): LocalEventSourceMapping[] => {
    const properties = props(logicalId, resource);
    const functionLogicalId = functionOf(properties.FunctionName);
    const sourceArn = String(properties.EventSourceArn);
    if (!functionLogicalId || !sourceArn.startsWith('arn:aws:sqs:')) {
      unsupported.push({ logicalId, type: resource.Type, reason: `only SQS sources for project functions are emulated (source ${sourceArn})` });
      return [];
    }
    const queueName = sourceArn.split(':').pop() as string;
    const scaling = properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    return [
      {
        functionLogicalId,
        queueUrl: resolver.identity.queueUrl(queueName),
        queueArn: sourceArn,
        batchSize: Number(properties.BatchSize ?? 10),
        maximumBatchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
        maxConcurrency: scaling?.MaximumConcurrency,
        reportBatchItemFailures: ((properties.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
        enabled: properties.Enabled !== false && properties.Enabled !== 'false',
      },
    ];
  });

  const apis = ofType('AWS::ApiGatewayV2::Api');
  for (const [logicalId, resource] of apis.slice(1)) {
    unsupported.push({ logicalId, type: resource.Type, reason: 'only one HTTP API is served locally' });
  }
  const servedApiId = apis[0] ? resolver.identity.ref(apis[0][0]) : undefined;
  const integrations = new Map(
    ofType('AWS::ApiGatewayV2::Integration').map(([logicalId, resource]) => [resolver.identity.ref(logicalId), props(logicalId, resource)] as const),
  );
  const httpRoutes = ofType('AWS::ApiGatewayV2::Route').flatMap(([logicalId, resource]): LocalHttpRoute[] => {
    const properties = props(logicalId, resource);
    if (properties.ApiId !== servedApiId) return [];
    const integration = integrations.get(String(properties.Target ?? '').replace(/^integrations\//, ''));
    const functionLogicalId = integration && functionOf(integration.IntegrationUri);
    const authorization = properties.AuthorizationType ?? 'NONE';
    if (!functionLogicalId || authorization !== 'NONE') {
      const reason = functionLogicalId ? `route authorization ${String(authorization)} is not emulated` : 'the route is not integrated with a project function';
      unsupported.push({ logicalId, type: resource.Type, reason });
      return [];
    }
    return [{ routeKey: String(properties.RouteKey), functionLogicalId, payloadFormatVersion: String(integration.PayloadFormatVersion ?? '2.0') }];
  });
  const cors = apis[0] ? corsOf(props(apis[0][0], apis[0][1]).CorsConfiguration) : undefined;

  const schedules: LocalSchedule[] = [];
  for (const [logicalId, resource] of ofType('AWS::Events::Rule')) {
    const properties = props(logicalId, resource);
    if (properties.ScheduleExpression === undefined || properties.State === 'DISABLED') continue;
    for (const target of (properties.Targets as Record<string, unknown>[] | undefined) ?? []) {
      const functionLogicalId = functionOf(target.Arn);
      if (functionLogicalId) schedules.push(schedule(functionLogicalId, properties.ScheduleExpression, target.Input));
      else unsupported.push({ logicalId, type: resource.Type, reason: `schedule target ${String(target.Arn)} is not a project function` });
    }
  }
  for (const [logicalId, resource] of ofType('AWS::Scheduler::Schedule')) {
    const properties = props(logicalId, resource);
    const target = (properties.Target ?? {}) as Record<string, unknown>;
    const functionLogicalId = functionOf(target.Arn);
    if (properties.State === 'DISABLED') continue;
    if (functionLogicalId) schedules.push(schedule(functionLogicalId, properties.ScheduleExpression, target.Input));
    else unsupported.push({ logicalId, type: resource.Type, reason: `schedule target ${String(target.Arn)} is not a project function` });
  }

  return { functions, eventSourceMappings, httpRoutes, cors, schedules, unsupported };
}

function localFunction(logicalId: string, resource: CfnResource, resolver: IntrinsicResolver, projectRoot: string): LocalFunction {
  const where = `Resources.${logicalId}`;
  const properties = resource.Properties ?? {};
  const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = resolver.resolveString(value, `${where}.Properties.Environment.Variables.${name}`);
  }
  const entry = resource.Metadata?.['Tidewatch:Entry'];
  if (typeof entry !== 'string') throw new UnsupportedTemplateError(`${where}.Metadata.Tidewatch:Entry must be a path`);
  return {
    logicalId,
    name: resolver.identity.physicalName(logicalId),
    entry: path.resolve(projectRoot, entry),
    handler: String(resource.Metadata?.['Tidewatch:Handler'] ?? 'handler'),
    environment,
    timeoutSeconds: Number(resolver.resolve(properties.Timeout ?? 3, `${where}.Properties.Timeout`)),
    memoryMiB: Number(resolver.resolve(properties.MemorySize ?? 128, `${where}.Properties.MemorySize`)),
  };
}

function schedule(functionLogicalId: string, expression: unknown, input: unknown): LocalSchedule {
  return { functionLogicalId, expression: String(expression), ...(typeof input === 'string' ? { input: JSON.parse(input) as unknown } : {}) };
}

function corsOf(configuration: unknown): LocalCors | undefined {
  if (configuration === undefined) return undefined;
  const value = configuration as Record<string, unknown>;
  const list = (key: string) => ((value[key] as string[] | undefined) ?? []).map(String);
  return {
    allowOrigins: list('AllowOrigins'),
    allowMethods: list('AllowMethods'),
    allowHeaders: list('AllowHeaders'),
    exposeHeaders: list('ExposeHeaders'),
    ...(value.MaxAge !== undefined ? { maxAgeSeconds: Number(value.MaxAge) } : {}),
    allowCredentials: value.AllowCredentials === true || value.AllowCredentials === 'true',
  };
}
