/**
 * Reading the synthesized template's alarms the way CloudWatch will: by name, with their metric stats
 * (single metric or inside metric math), and composite rules and dashboard bodies rendered to strings.
 */
import { resourcesOfType, type Json } from '../stack/synth';

export interface TemplateAlarm {
  readonly logicalId: string;
  readonly type: 'AWS::CloudWatch::Alarm' | 'AWS::CloudWatch::CompositeAlarm';
  readonly name: string;
  readonly props: Json;
}

/** Every alarm and composite alarm of the template, by AlarmName. */
export function templateAlarms(json: Json): Map<string, TemplateAlarm> {
  const alarms = new Map<string, TemplateAlarm>();
  for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'] as const) {
    for (const [logicalId, resource] of Object.entries(resourcesOfType(json, type))) {
      const name = resource.Properties.AlarmName as string;
      if (typeof name !== 'string') throw new Error(`${logicalId} has no literal AlarmName`);
      alarms.set(name, { logicalId, type, name, props: resource.Properties });
    }
  }
  return alarms;
}

/** One metric an alarm reads, as a MetricStat names it. */
export interface TemplateMetricStat {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
  readonly stat: string;
  readonly period: number;
}

/** The metric stats of a metric alarm: its one metric, or every MetricStat of its metric math. */
export function metricStats(props: Json): TemplateMetricStat[] {
  const dimensions = (list: Json[] | undefined) => Object.fromEntries((list ?? []).map((d) => [d.Name, d.Value]));
  if (!props.Metrics) {
    return [
      {
        namespace: props.Namespace,
        metricName: props.MetricName,
        dimensions: dimensions(props.Dimensions),
        stat: props.Statistic ?? props.ExtendedStatistic,
        period: props.Period,
      },
    ];
  }
  return (props.Metrics as Json[])
    .filter((query) => query.MetricStat)
    .map(({ MetricStat: stat }) => ({
      namespace: stat.Metric.Namespace,
      metricName: stat.Metric.MetricName,
      dimensions: dimensions(stat.Metric.Dimensions),
      stat: stat.Stat,
      period: stat.Period,
    }));
}

/** The expression a metric-math alarm returns, with the ids it uses mapped to their metric stats. */
export function mathOf(props: Json): { expression: string; using: Record<string, TemplateMetricStat> } {
  const queries = props.Metrics as Json[];
  const returned = queries.find((query) => query.ReturnData !== false && query.Expression);
  if (!returned) throw new Error('not a metric-math alarm');
  const stats = metricStats(props);
  const using = Object.fromEntries(queries.filter((q) => q.MetricStat).map((q, i) => [q.Id as string, stats[i]!]));
  return { expression: returned.Expression, using };
}

/**
 * A CloudFormation string value with its intrinsics rendered: `Fn::Join` joined, `Fn::GetAtt`/`Ref` as
 * `<name>` where `names` knows the logical id, else `<logicalId>`.
 */
export function render(value: unknown, names: Record<string, string> = {}): string {
  if (typeof value === 'string') return value;
  const json = value as Json;
  if (json['Fn::Join']) return (json['Fn::Join'][1] as unknown[]).map((part) => render(part, names)).join(json['Fn::Join'][0]);
  const logicalId = json['Fn::GetAtt']?.[0] ?? json.Ref;
  if (typeof logicalId === 'string') return `<${names[logicalId] ?? logicalId}>`;
  return `<${JSON.stringify(json)}>`;
}
