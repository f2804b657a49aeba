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
import { alarmCatalogue, type WorkQueueName, type WorkQueueSource } from './catalogue';
import type { AlarmEntry } from './model';

export interface TidewatchMonitoringProps {
  readonly config: Pick<
    TidewatchConfig,
    'stage' | 'files' | 'jobs' | 'runbookBaseUrl' | 'successSloPercent' | 'freshnessSloPercent' | 'freshnessSloSeconds'
  >;
  readonly paging: Paging;
  readonly workQueues: Readonly<Record<WorkQueueName, WorkQueue>>;
  readonly httpApi: TidewatchHttpApi;
}

export class TidewatchMonitoring extends Construct {
  readonly catalogue: readonly AlarmEntry[];
  readonly alarms: CatalogueAlarms;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: TidewatchMonitoringProps) {
    super(scope, id);
    const { config } = props;
    const prefix = Stack.of(this).stackName;
    const workQueues = (Object.keys(props.workQueues) as WorkQueueName[]).map((name): WorkQueueSource => {
      const queue = props.workQueues[name];
      return {
        name,
        queueName: queue.queue.queueName,
        deadLetterQueueName: queue.deadLetterQueue.queueName,
        workerFunctionName: queue.worker.functionName,
        workerTimeout: queue.workerTimeout,
        maxMessageAge: Duration.seconds(config[name].maxMessageAgeSeconds),
      };
    });
    const freshnessBound = Duration.seconds(config.freshnessSloSeconds);

    this.catalogue = alarmCatalogue({
      stage: config.stage,
      workQueues,
      apiId: props.httpApi.api.apiId,
      successSloPercent: config.successSloPercent,
      freshnessSloPercent: config.freshnessSloPercent,
      freshnessSloBound: freshnessBound,
    });
    const alarmDefaults: AlarmFactoryDefaults = { alarmNamePrefix: prefix, actionsEnabled: true, action: props.paging.alarmAction };
    this.alarms = new CatalogueAlarms(this, 'Alarms', { entries: this.catalogue, alarmDefaults, runbookBaseUrl: config.runbookBaseUrl });

    this.dashboard = new OnCallOverview(this, 'OnCallOverview', {
      dashboardName: `${prefix}-on-call`,
      stage: config.stage,
      workQueues,
      api: props.httpApi.api,
      freshnessBound,
      alarms: this.catalogue.map((entry) => ({
        entry,
        alarm: this.alarms.alarms.get(entry.id)!,
        runbookUrl: this.alarms.runbookUrl(entry.runbook),
      })),
    }).dashboard;
  }
}
