/**
 * The local cloud's services half: starts fauxqs and dynalite, puts the one AWS-compatible gateway
 * in front of them, provisions the template's resources and hands the runtime half everything it
 * runs (functions, event source mappings, routes, schedules) with local names and URLs.
 */
import * as path from 'node:path';
import type { LocalServices, ServiceHandler, StartLocalServicesOptions } from '../template/model';
import { readLocalStack } from '../template/local-stack';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../template/resource-identity';
import { isAlarmType } from '../template/resource-support';
import { synthesizeTemplate } from '../template/synthesize';
import { unsupportedOperation } from './aws-errors';
import type { Backend } from './backend';
import { createBackendClients, type BackendClients } from './backend-clients';
import { CloudFormationService } from './cloudformation-service';
import { DynamoDbService } from './dynamodb-service';
import { startDynaliteBackend } from './dynalite-backend';
import { startFauxqsBackend } from './fauxqs-backend';
import { startGateway, type Dispatch, type Gateway } from './gateway';
import { MessageMoveTasks } from './message-move-tasks';
import { provision } from './provision';
import { Proxy } from './proxy';
import { QueueUrls } from './queue-urls';
import { S3Service } from './s3-service';
import { S3Notifications } from './s3-notifications';
import { sequencerSource } from './s3-event';
import { SnsService } from './sns-service';
import { SqsActivity } from './sqs-activity';
import { SqsService } from './sqs-service';

export type { LocalServices, StartLocalServicesOptions } from '../template/model';

/** @see StartLocalServicesOptions for every option's default. */
export async function startLocalServices(options: StartLocalServicesOptions): Promise<LocalServices> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  const dataDir = options.dataDir ?? path.join(projectRoot, '.tidewatch', 'data');
  const stackPromise = options.template ? Promise.resolve(options.template) : synthesizeTemplate({ stage: options.stage ?? 'local', projectRoot });

  const started: { stop(): Promise<void> }[] = [];
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
      startFauxqsBackend().then(track(started)),
      startDynaliteBackend({ path: options.keep ? path.join(dataDir, 'dynamodb') : undefined }).then(track(started)),
      startGateway(options.host ?? '127.0.0.1', options.port ?? 4566, onWarning).then(track(started)),
    ] as const);
    clients = await createBackendClients(fauxqs, dynalite);
    const local = readLocalStack(stack, { gatewayEndpoint: gateway.endpoint, apiPort: options.apiPort, downloadPort: options.downloadPort }, projectRoot);
    const queueUrls = new QueueUrls(gateway.endpoint, fauxqs.port);
    const sqsActivity = new SqsActivity();
    const notifications = new S3Notifications(clients, queueUrls, onWarning, sqsActivity);
    const dynamodb = new DynamoDbService(proxy, dynalite);
    moveTasks = new MessageMoveTasks(clients, queueUrls, sqsActivity);
    let cloudWatch = options.cloudWatch;
    const services = {
      sqs: new SqsService(proxy, fauxqs, queueUrls, moveTasks, sqsActivity),
      sns: new SnsService(proxy, fauxqs),
      s3: new S3Service(proxy, fauxqs, clients, notifications, sequencerSource(), onWarning),
      dynamodb,
      cloudFormation: new CloudFormationService({
        stackName: stack.stackName,
        description: stack.template.Description,
        outputs: local.outputs,
        outputDescriptions: Object.fromEntries(Object.entries(stack.template.Outputs ?? {}).map(([key, output]) => [key, output.Description])),
        createdAt: new Date(),
      }),
    };
    const dispatch: Dispatch = async (request, route) => {
      switch (route.service) {
        case 'sqs':
          // fauxqs speaks SQS's JSON protocol only (as do SDK v3 and this CLI); older clients post forms.
          if (route.protocol === 'query') throw unsupportedOperation('SQS', `${route.action} over the query protocol`);
          return services.sqs.handle(request, route.action);
        case 'sns':
        case 'sts':
          return services.sns.handle(request, route.service, route.action);
        case 's3':
          return services.s3.handle(request);
        case 'dynamodb':
          return services.dynamodb.handle(request, route.action);
        case 'cloudformation':
          return services.cloudFormation.handle(route.action, route.params ?? new URLSearchParams());
        case 'cloudwatch':
          if (!cloudWatch) throw unsupportedOperation('CloudWatch', route.action ?? '(no action)');
          return cloudWatch(request);
        default:
          throw unsupportedOperation(route.service.unknown, route.action ?? `${request.method} ${request.url.split('?')[0]}`);
      }
    };
    await provision(local.storage, { clients, notifications, dynamodb });
    gateway.setDispatch(dispatch);

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
        return cloudWatch ? local.unsupported.filter((resource) => !isAlarmType(resource.type)) : local.unsupported;
      },
      setCloudWatchHandler: (handler: ServiceHandler) => {
        cloudWatch = handler;
      },
      onSqsAction: (listener) => sqsActivity.on(listener),
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
