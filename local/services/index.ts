/**
 * The local cloud's services half: starts fauxqs and dynalite, puts the one AWS-compatible gateway
 * in front of them, registers the services it emulates, provisions the template's resources and hands
 * the runtime half everything it runs (functions, event source mappings, routes, schedules) with local
 * names and URLs. Other services (the local CloudWatch, the runtime's Lambda API) plug in with `register`.
 */
import * as path from 'node:path';
import type { LocalServices, StartLocalServicesOptions } from '../template/model';
import { readLocalStack } from '../template/local-stack';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../template/resource-identity';
import { isAlarmType } from '../template/resource-support';
import { synthesizeTemplate } from '../template/synthesize';
import type { Backend } from './backend';
import { createBackendClients, type BackendClients } from './backend-clients';
import { CloudFormationService } from './cloudformation-service';
import { DynamoDbService } from './dynamodb-service';
import { startDynaliteBackend } from './dynalite-backend';
import { startFauxqsBackend } from './fauxqs-backend';
import { startGateway, type Gateway } from './gateway';
import { MessageMoveTasks } from './message-move-tasks';
import { provision } from './provision';
import { Proxy } from './proxy';
import { QueueUrls } from './queue-urls';
import { S3Service } from './s3-service';
import { S3Notifications } from './s3-notifications';
import { sequencerSource } from './s3-event';
import { ServiceRegistry } from './service-registry';
import { snsService, stsService } from './sns-service';
import { SqsActivity } from './sqs-activity';
import { SqsService } from './sqs-service';

/** The name the local CloudWatch registers under: the template's alarms are emulated once it is there. */
const CLOUDWATCH = 'CloudWatch';

export type { LocalServices, StartLocalServicesOptions } from '../template/model';

/** @see StartLocalServicesOptions for every option's default. */
export async function startLocalServices(options: StartLocalServicesOptions): Promise<LocalServices> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  const dataDir = options.dataDir ?? path.join(projectRoot, '.tidewatch', 'data');
  const stackPromise = options.template ? Promise.resolve(options.template) : synthesizeTemplate({ stage: options.stage ?? 'local', projectRoot });

  const started: { stop(): Promise<void> }[] = [];
  const registry = new ServiceRegistry();
  const proxy = new Proxy();
  let clients: BackendClients | undefined;
  let moveTasks: MessageMoveTasks | undefined;
  const stop = async () => {
    await moveTasks?.stopAll();
    clients?.destroy();
    proxy.close();
    await Promise.all(started.splice(0).map((part) => part.stop()));
  };

  try {
    // Synthesis (CPU) overlaps the emulators' and the gateway's start (I/O). All settle before a
    // failure is thrown, so that every part that did start is stopped.
    const [stack, fauxqs, dynalite, gateway] = await allSettledOrThrow([
      stackPromise,
      startFauxqsBackend({ dataDirectory: options.keep ? path.join(dataDir, 'fauxqs') : undefined }).then(track(started)),
      startDynaliteBackend({ path: options.keep ? path.join(dataDir, 'dynamodb') : undefined }).then(track(started)),
      startGateway({ host: options.host ?? '127.0.0.1', port: options.port ?? 4566, registry, onWarning, latencyMs: options.networkLatencyMs }).then(track(started)),
    ] as const);
    clients = await createBackendClients(fauxqs, dynalite);
    const local = readLocalStack(stack, { gatewayEndpoint: gateway.endpoint, apiPort: options.apiPort, downloadPort: options.downloadPort }, projectRoot);
    const queueUrls = new QueueUrls(gateway.endpoint, fauxqs.port);
    const sqsActivity = new SqsActivity();
    const notifications = new S3Notifications(clients, queueUrls, onWarning, sqsActivity);
    const dynamodb = new DynamoDbService(proxy, dynalite);
    moveTasks = new MessageMoveTasks(clients, queueUrls, sqsActivity);
    const services = [
      new SqsService(fauxqs, queueUrls, moveTasks, sqsActivity),
      snsService(proxy, fauxqs),
      stsService(proxy, fauxqs),
      new S3Service(proxy, fauxqs, clients, notifications, sequencerSource(), onWarning, new Map(local.storage.buckets.map((bucket) => [bucket.name, bucket.corsRules]))),
      dynamodb,
      new CloudFormationService({
        stackName: stack.stackName,
        description: stack.template.Description,
        outputs: local.outputs,
        outputDescriptions: Object.fromEntries(Object.entries(stack.template.Outputs ?? {}).map(([key, output]) => [key, output.Description])),
        createdAt: new Date(),
      }),
    ];
    for (const service of services) registry.register(service);
    await provision(local.storage, { clients, notifications, dynamodb });
    gateway.open();

    return {
      endpoint: gateway.endpoint,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      stackName: stack.stackName,
      template: stack.template,
      outputs: local.outputs,
      resolve: (value) => local.resolver.resolve(value),
      queueUrlFromArn: (arn) => queueUrls.publicFromArn(arn),
      functions: local.compute.functions,
      eventSourceMappings: local.compute.eventSourceMappings,
      httpRoutes: local.compute.httpRoutes,
      cors: local.compute.cors,
      schedules: local.compute.schedules,
      get unsupportedResources() {
        return registry.has(CLOUDWATCH) ? local.unsupported.filter((resource) => !isAlarmType(resource.type)) : local.unsupported;
      },
      get serviceNames() {
        return registry.list().map((service) => service.name);
      },
      register: (service) => registry.register(service),
      onSqsAction: (listener) => sqsActivity.on(listener),
      onServed: (listener) => registry.onServed(listener),
      fauxqsEndpoint: fauxqs.endpoint,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Remembers a started part so that a failed start still stops it. */
function track<T extends Backend | Gateway>(started: { stop(): Promise<void> }[]): (part: T) => T {
  return (part) => {
    started.push(part);
    return part;
  };
}

async function allSettledOrThrow<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
