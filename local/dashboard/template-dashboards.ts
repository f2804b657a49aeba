/**
 * The template's dashboards: each `AWS::CloudWatch::Dashboard`'s name and its body, resolved (alarm
 * ARNs, queue and function names, the region) and parsed, so the local dashboard draws exactly what
 * `cdk deploy` would put in CloudWatch.
 */
import type { CfnTemplate } from '../template/model';
import type { DashboardBody } from './page/body';

export interface TemplateDashboard {
  readonly logicalId: string;
  readonly name: string;
  readonly body: DashboardBody;
}

export function readDashboards(template: CfnTemplate, resolve: (value: unknown) => unknown): TemplateDashboard[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Dashboard')
    .map(([logicalId, resource]) => {
      const properties = (resource as { Properties?: { DashboardName?: unknown; DashboardBody?: unknown } }).Properties ?? {};
      const body = JSON.parse(String(resolve(properties.DashboardBody))) as DashboardBody;
      if (!Array.isArray(body.widgets)) throw new Error(`dashboard ${logicalId}: its body has no widgets list`);
      return { logicalId, name: properties.DashboardName === undefined ? logicalId : String(resolve(properties.DashboardName)), body };
    });
}
