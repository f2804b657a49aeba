/**
 * What a stack's monitoring is made of, counted the way CloudWatch bills it, from its CloudFormation
 * resources: alarm metrics by resolution (a math alarm is billed per metric it reads), composite alarms,
 * dashboards, KMS keys, and the custom metrics its functions emit (each metric name with its dimension
 * values is one metric; Powertools adds one ColdStart metric per function).
 */
import { METRICS, type MetricDefinition } from '../../contract/metrics';
import { isWorkerName, WORKERS } from '../../contract/workers';
import { ENTRY_METADATA_KEY } from '../project';

/** The part of a template resource the inventory reads. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface MonitoringInventory {
  readonly metricAlarms: number;
  readonly standardAlarmMetrics: number;
  readonly highResolutionAlarmMetrics: number;
  readonly compositeAlarms: number;
  readonly customMetrics: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
}

/** CloudWatch stores a metric at high resolution, and bills its alarms so, below a 60-second period. */
const STANDARD_PERIOD_SECONDS = 60;
/** An anomaly detection band is billed as three metrics per metric it models. */
const ANOMALY_BAND_METRICS = 3;

/** Custom metrics of the functions that are not workers, by service name: once, or once per work queue. */
const FUNCTION_METRICS: Readonly<Record<string, { readonly metrics: readonly MetricDefinition[]; readonly perWorkQueue: boolean }>> = {
  presign: { metrics: [METRICS.uploadsPresigned], perWorkQueue: false },
  'submit-job': { metrics: [METRICS.jobsSubmitted], perWorkQueue: false },
  redrive: { metrics: [METRICS.redriveMessagesMoved, METRICS.redriveFailures], perWorkQueue: true },
};
/** Powertools' ColdStart metric, one series per function. */
const COLD_START_METRICS_PER_FUNCTION = 1;

export function monitoringInventory(resources: Iterable<TemplateResource>): MonitoringInventory {
  const all = [...resources];
  const ofType = (type: string) => all.filter((resource) => resource.Type === type);
  const alarmMetrics = ofType('AWS::CloudWatch::Alarm').flatMap(billedAlarmMetrics);
  return {
    metricAlarms: ofType('AWS::CloudWatch::Alarm').length,
    standardAlarmMetrics: alarmMetrics.filter((period) => period >= STANDARD_PERIOD_SECONDS).length,
    highResolutionAlarmMetrics: alarmMetrics.filter((period) => period < STANDARD_PERIOD_SECONDS).length,
    compositeAlarms: ofType('AWS::CloudWatch::CompositeAlarm').length,
    customMetrics: customMetricCount(ofType('AWS::Lambda::Function')),
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
  };
}

/** The period of each metric an alarm is billed for. */
function billedAlarmMetrics({ Properties: properties = {} }: TemplateResource): number[] {
  const band = properties.ThresholdMetricId !== undefined ? ANOMALY_BAND_METRICS : 1;
  const queries = properties.Metrics as readonly { MetricStat?: { Period?: number } }[] | undefined;
  const periods = queries ? queries.flatMap((query) => (query.MetricStat ? [Number(query.MetricStat.Period ?? STANDARD_PERIOD_SECONDS)] : [])) : [Number(properties.Period ?? STANDARD_PERIOD_SECONDS)];
  return periods.flatMap((period) => Array.from({ length: band }, () => period));
}

/** The service name of a project function: the folder of its `handlers/<name>/index.ts` entry. */
function serviceName(resource: TemplateResource): string | undefined {
  const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
  return typeof entry === 'string' ? /^handlers\/([^/]+)\//.exec(entry)?.[1] : undefined;
}

function customMetricCount(functions: readonly TemplateResource[]): number {
  const services = functions.map(serviceName).filter((name): name is string => name !== undefined);
  const workQueues = services.filter(isWorkerName).length;
  return services.reduce((sum, name) => {
    const own = isWorkerName(name) ? WORKERS[name].emits.length : ownMetrics(name, workQueues);
    return sum + own + COLD_START_METRICS_PER_FUNCTION;
  }, 0);
}

function ownMetrics(name: string, workQueues: number): number {
  const emitted = FUNCTION_METRICS[name];
  if (!emitted) return 0;
  return emitted.metrics.length * (emitted.perWorkQueue ? workQueues : 1);
}
