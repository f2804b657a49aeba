/**
 * The alarm stack of Tidewatch: the catalogue made into alarms that page through the paging topic, and
 * the on-call overview dashboard that shows them.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmFactoryDefaults } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { OnCallOverview } from '../../dashboards/on-call-overview';
import type { TidewatchConfig } from '../config';
import type { TidewatchHttpApi } from '../http-api';
import type { Paging } from '../paging';
import type { WorkQueue } from '../work-queue';
import { CatalogueAlarms } from './alarm-builder';
import { dashboardName } from '../../contract/naming';
import { alarmCatalogue, type WorkQueueSource } from './catalogue';
import type { AlarmEntry } from './model';

export interface TidewatchMonitoringProps {
  readonly config: Pick<
    TidewatchConfig,
    'stage' | 'runbookBaseUrl' | 'successSloPercent' | 'freshnessSloPercent' | 'freshnessSloSeconds' | 'sloBurnRateAlarms'
  >;
  readonly paging: Paging;
  /** Every work queue: each gets the full alarm set and its dashboard row. */
  readonly workQueues: readonly WorkQueue[];
  readonly httpApi: TidewatchHttpApi;
  /** The redrive function: each work queue's dead-letter widget is drawn and operated by it. */
  readonly redriveFunctionArn: string;
}

export class TidewatchMonitoring extends Construct {
  readonly catalogue: readonly AlarmEntry[];
  readonly alarms: CatalogueAlarms;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: TidewatchMonitoringProps) {
    super(scope, id);
    const { config } = props;
    const prefix = Stack.of(this).stackName;
    const workQueues = props.workQueues.map(
      (queue): WorkQueueSource => ({
        name: queue.name,
        worker: queue.settings.worker,
        queueName: queue.queue.queueName,
        deadLetterQueueName: queue.deadLetterQueue.queueName,
        workerFunctionName: queue.worker.functionName,
        workerTimeout: queue.workerTimeout,
        maxMessageAge: Duration.seconds(queue.settings.maxMessageAgeSeconds),
      }),
    );
    const freshnessBound = Duration.seconds(config.freshnessSloSeconds);

    this.catalogue = alarmCatalogue({
      stage: config.stage,
      workQueues,
      apiId: props.httpApi.api.apiId,
      successSloPercent: config.successSloPercent,
      freshnessSloPercent: config.freshnessSloPercent,
      freshnessSloBound: freshnessBound,
    }).filter((entry) => config.sloBurnRateAlarms || entry.kind !== 'burn-rate');
    const alarmDefaults: AlarmFactoryDefaults = { alarmNamePrefix: prefix, actionsEnabled: true, action: props.paging.alarmAction };
    this.alarms = new CatalogueAlarms(this, 'Alarms', { entries: this.catalogue, alarmDefaults, runbookBaseUrl: config.runbookBaseUrl });

    this.dashboard = new OnCallOverview(this, 'OnCallOverview', {
      dashboardName: dashboardName(prefix),
      stage: config.stage,
      workQueues,
      api: props.httpApi.api,
      redriveFunctionArn: props.redriveFunctionArn,
      freshnessBound,
      alarms: this.catalogue.map((entry) => ({
        entry,
        alarm: this.alarms.alarms.get(entry.id)!,
        runbookUrl: this.alarms.runbookUrl(entry.runbook),
      })),
    }).dashboard;
  }
}
