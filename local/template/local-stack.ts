/**
 * The synthesized stack read for the local cloud: one resolver, the storage plan the services
 * provision, the compute plan the runtime runs, the stack outputs and what cannot be emulated.
 */
import { planCompute, type ComputePlan } from './compute-plan';
import { IntrinsicResolver } from './intrinsics';
import type { StoragePlan, SynthesizedStack, UnsupportedResource } from './model';
import type { LocalEndpoints } from './resource-identity';
import { unsupportedResources } from './resource-support';
import { planStorage } from './storage-plan';

export interface LocalStack {
  readonly resolver: IntrinsicResolver;
  readonly outputs: Record<string, string>;
  readonly storage: StoragePlan;
  readonly compute: ComputePlan;
  readonly unsupported: readonly UnsupportedResource[];
}

export function readLocalStack(stack: SynthesizedStack, endpoints: Omit<LocalEndpoints, 'stackName'>, projectRoot: string): LocalStack {
  const resolver = new IntrinsicResolver(stack.template, { ...endpoints, stackName: stack.stackName });
  const resources = Object.entries(stack.template.Resources).filter(([, resource]) => resolver.isConditionTrue(resource.Condition));
  const storage = planStorage(resources, resolver);
  const compute = planCompute(resources, resolver, projectRoot);
  return {
    resolver,
    outputs: resolveOutputs(stack, resolver, endpoints),
    storage: storage.plan,
    compute,
    unsupported: [...unsupportedResources(Object.fromEntries(resources)), ...storage.unsupported, ...compute.unsupported],
  };
}

function resolveOutputs(stack: SynthesizedStack, resolver: IntrinsicResolver, endpoints: Omit<LocalEndpoints, 'stackName'>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(stack.template.Outputs ?? {})) {
    if (resolver.isConditionTrue(output.Condition)) outputs[key] = resolver.resolveString(output.Value, `Outputs.${key}.Value`);
  }
  // The template's URLs are https on AWS hosts; locally the API and CloudFront are plain HTTP on 127.0.0.1.
  if ('ApiUrl' in outputs) outputs.ApiUrl = `http://127.0.0.1:${endpoints.apiPort}/`;
  if ('DownloadUrl' in outputs) outputs.DownloadUrl = `http://127.0.0.1:${endpoints.downloadPort}/`;
  return outputs;
}
