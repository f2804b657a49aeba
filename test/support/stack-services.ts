/**
 * The local services for a few resources a test declares with CDK (a table, a queue, a bucket), on free
 * ports: what a test of one handler module against real emulators needs, without the whole stack.
 */
import { App, Stack } from 'aws-cdk-lib';
import { LOCAL_CREDENTIALS } from '../../contract/local-cloud';
import { startLocalServices } from '../../local/services';
import type { LocalServices, SynthesizedStack } from '../../local/template/model';

export interface StackServices {
  readonly services: LocalServices;
  /** SDK client configuration for the local endpoint. */
  readonly config: { readonly endpoint: string; readonly region: string; readonly credentials: typeof LOCAL_CREDENTIALS };
  /** The physical name (Ref) of the resource whose logical id starts with `construct id`. */
  resolve(constructId: string): string;
}

export async function startStackServices(stackName: string, declare: (stack: Stack) => void): Promise<StackServices> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, stackName);
  declare(stack);
  const template = app.synth().getStackByName(stack.stackName).template as SynthesizedStack['template'];
  const services = await startLocalServices({ port: 0, apiPort: 0, downloadPort: 0, template: { stackName: stack.stackName, template } });
  return {
    services,
    config: { endpoint: services.endpoint, region: services.region, credentials: LOCAL_CREDENTIALS },
    resolve: (constructId) => String(services.resolve({ Ref: Object.keys(template.Resources).find((id) => id.startsWith(constructId))! })),
  };
}
