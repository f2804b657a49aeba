/**
 * A stack's monthly monitoring cost as a synthesis-time value: produced when the template is resolved,
 * once every construct exists, from the same resources `tidewatch cost` reads in the synthesized
 * template. Only alarm properties are resolved (a function's environment may hold this very value).
 */
import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import type { MonitoringCostSummary } from '../../contract/review';
import { ENTRY_METADATA_KEY } from '../project';
import { monitoringCost } from './monitoring-cost';
import { monitoringInventory, type TemplateResource } from './monitoring-inventory';

const PRICED_PROPERTIES_OF = new Set(['AWS::CloudWatch::Alarm']);

/** JSON of the stack's `MonitoringCostSummary`, for a function's environment. */
export function monitoringCostJson(stack: Stack): string {
  return Lazy.string({
    produce: () => {
      const { monthlyUsd, basis } = monitoringCost(monitoringInventory(templateResources(stack)));
      return JSON.stringify({ monthlyUsd, basis } satisfies MonitoringCostSummary);
    },
  });
}

function templateResources(stack: Stack): TemplateResource[] {
  return stack.node
    .findAll()
    .filter((construct): construct is CfnResource => CfnResource.isCfnResource(construct) && Stack.of(construct) === stack)
    .map((resource) => ({
      Type: resource.cfnResourceType,
      Metadata: { [ENTRY_METADATA_KEY]: resource.getMetadata(ENTRY_METADATA_KEY) },
      Properties: PRICED_PROPERTIES_OF.has(resource.cfnResourceType) ? resolvedProperties(stack, resource) : undefined,
    }));
}

function resolvedProperties(stack: Stack, resource: CfnResource): Record<string, unknown> | undefined {
  const rendered = stack.resolve(resource._toCloudFormation()) as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
  return Object.values(rendered.Resources)[0]?.Properties;
}
