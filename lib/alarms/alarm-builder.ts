/**
 * Builds the catalogue's alarms with cdk-monitoring-constructs' AlarmFactory: its action strategy puts
 * the ALARM and OK actions on every paging alarm; each description is the contract's format (severity
 * and summary, queue, runbook link). Burn-rate entries become one composite alarm over one metric
 * alarm per window; only the composite pages.
 */
import { Tags, type Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  AlarmFactory,
  noopAction,
  type AddCompositeAlarmProps,
  type AlarmFactoryDefaults,
  type AlarmWithAnnotation,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { formatAlarmDescription } from '../../contract/alarm-description';
import { alarmName } from '../../contract/naming';
import { isMathSpec, type AlarmCondition, type AlarmEntry, type AlarmSignal, type BurnRateAlarmEntry, type MetricSpec } from './model';

/** The CloudWatch metric of a MetricSpec, at one period. */
export function metricOf(spec: MetricSpec, period: Duration, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensionsMap: { ...spec.dimensions },
    statistic: spec.statistic,
    period,
    label,
  });
}

/** The CloudWatch metric (or metric math) of a signal, at one period. */
export function signalMetric(signal: AlarmSignal, period: Duration): cloudwatch.Metric | cloudwatch.MathExpression {
  if (!isMathSpec(signal)) return metricOf(signal, period);
  const usingMetrics = Object.fromEntries(Object.entries(signal.usingMetrics).map(([id, spec]) => [id, metricOf(spec, period)]));
  return new cloudwatch.MathExpression({ expression: signal.expression, usingMetrics, label: signal.label, period });
}

/** `1h`, `30m`, `10s`: the window part of a burn-rate window alarm's name. */
export function shortDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** What names and describes an alarm. */
interface AlarmIdentity {
  readonly alarmNameOverride: string;
  readonly alarmNameSuffix: string;
  readonly disambiguator: string;
  /** The whole description, in the contract's format (the factory would add its own runbook line to `alarmDescription`). */
  readonly alarmDescriptionOverride: string;
  readonly alarmDescription: string;
}

interface RuleCompositeAlarmProps extends AddCompositeAlarmProps {
  readonly alarmRule: cloudwatch.IAlarmRule;
}

/**
 * AlarmFactory joins a composite's alarms with a single AND or OR; a multi-window burn-rate page needs
 * (long AND short) OR (long AND short). This subclass takes the rule as given and keeps everything else
 * of the factory (naming, description with runbook link, action strategy).
 */
class CatalogueAlarmFactory extends AlarmFactory {
  protected override determineCompositeAlarmRule(alarms: AlarmWithAnnotation[], props: AddCompositeAlarmProps): cloudwatch.IAlarmRule {
    return (props as Partial<RuleCompositeAlarmProps>).alarmRule ?? super.determineCompositeAlarmRule(alarms, props);
  }
}

export interface CatalogueAlarmsProps {
  readonly entries: readonly AlarmEntry[];
  /** cdk-monitoring-constructs alarm defaults: the action strategy (paging) and the alarm name prefix. */
  readonly alarmDefaults: AlarmFactoryDefaults;
  /** Published runbooks; an entry's description links `<runbookBaseUrl>/<runbook>.md`. */
  readonly runbookBaseUrl: string;
}

export class CatalogueAlarms extends Construct {
  /** The paging alarm of each catalogue entry, by entry id. */
  readonly alarms: ReadonlyMap<string, cloudwatch.AlarmBase>;
  private readonly factory: CatalogueAlarmFactory;
  private readonly props: CatalogueAlarmsProps;

  constructor(scope: Construct, id: string, props: CatalogueAlarmsProps) {
    super(scope, id);
    this.props = props;
    this.factory = new CatalogueAlarmFactory(this, { globalAlarmDefaults: props.alarmDefaults, globalMetricDefaults: {}, localAlarmNamePrefix: '' });
    this.alarms = new Map(
      props.entries.map((entry) => {
        const alarm = entry.kind === 'metric' ? this.addCondition(entry, this.identity(entry)).alarm : this.addBurnRateAlarm(entry);
        Tags.of(alarm).add('severity', entry.severity);
        return [entry.id, alarm];
      }),
    );
  }

  /** `<prefix>-<entry id>`: the entry id stays readable in pages, the console and `tidewatch status`. */
  alarmName(entryId: string): string {
    return alarmName(this.props.alarmDefaults.alarmNamePrefix, entryId);
  }

  runbookUrl(runbook: string): string {
    return `${this.props.runbookBaseUrl}/${runbook}.md`;
  }

  private identity(entry: AlarmEntry): AlarmIdentity {
    return {
      alarmNameOverride: this.alarmName(entry.id),
      alarmNameSuffix: entry.id,
      disambiguator: entry.severity,
      // The severity leads the first line: it is what a page's reader needs first.
      alarmDescription: entry.summary,
      alarmDescriptionOverride: formatAlarmDescription({ severity: entry.severity, summary: entry.summary, queue: entry.queue, runbookUrl: this.runbookUrl(entry.runbook) }),
    };
  }

  private addCondition(condition: AlarmCondition, identity: AlarmIdentity, pages = true): AlarmWithAnnotation {
    return this.factory.addAlarm(signalMetric(condition.signal, condition.period), {
      ...identity,
      ...(pages ? {} : { actionOverride: noopAction() }),
      threshold: condition.threshold,
      comparisonOperator: condition.comparison,
      treatMissingData: condition.treatMissingData,
      evaluationPeriods: condition.evaluationPeriods,
      datapointsToAlarm: condition.datapointsToAlarm,
      // The library wraps the signal in IF(<samples> > moreThan, <signal>).
      minSampleCountToEvaluateDatapoint: condition.sampleGuard?.moreThan,
      sampleCountMetricId: condition.sampleGuard?.metricId,
    });
  }

  private addBurnRateAlarm(entry: BurnRateAlarmEntry): cloudwatch.AlarmBase {
    const identity = this.identity(entry);
    // The window alarms are inputs of the composite: only the composite pages, once.
    const windowRule = (condition: AlarmCondition, factor: number) => {
      const window = shortDuration(condition.period);
      const windowIdentity: AlarmIdentity = {
        ...identity,
        alarmNameOverride: `${identity.alarmNameOverride}-${window}`,
        alarmNameSuffix: `${entry.id}-${window}`,
        alarmDescriptionOverride: formatAlarmDescription({
          summary: `Burn-rate window of ${identity.alarmNameOverride}: over ${factor}x for ${window}. Pages only through it.`,
          queue: entry.queue,
          runbookUrl: this.runbookUrl(entry.runbook),
        }),
      };
      return this.addCondition(condition, windowIdentity, false).alarmRuleWhenAlarming;
    };
    const alarmRule = cloudwatch.AlarmRule.anyOf(
      ...entry.windows.map((pair) => cloudwatch.AlarmRule.allOf(windowRule(pair.long, pair.factor), windowRule(pair.short, pair.factor))),
    );
    const props: RuleCompositeAlarmProps = { ...identity, alarmRule };
    return this.factory.addCompositeAlarm([], props);
  }
}
