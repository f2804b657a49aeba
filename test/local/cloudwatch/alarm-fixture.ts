/**
 * A template with the kinds of alarms Tidewatch builds, synthesized by the real CDK: a 10-second
 * high-resolution alarm, a DLQ depth alarm, an M-of-N percentile alarm, a stall metric-math alarm
 * and a composite alarm, paging one SNS topic.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { CfnTemplate } from '../../../local/template/model';
import { templateResolver } from './helpers';

export const PAGING_TOPIC_NAME = 'tidewatch-local-paging';
export const PAGING_TOPIC_ARN = `arn:aws:sns:us-east-1:000000000000:${PAGING_TOPIC_NAME}`;
export const SERVICE_DIMENSIONS = { service: 'file-worker', stage: 'local' };

export interface AlarmFixture {
  readonly template: CfnTemplate;
  readonly resolve: (value: unknown) => unknown;
}

export function synthesizeAlarmFixture(): AlarmFixture {
  const app = new App();
  const stack = new Stack(app, 'Tidewatch-local');
  const topic = new sns.Topic(stack, 'Paging');
  const page = new SnsAction(topic);
  const metric = (namespace: string, metricName: string, dimensionsMap: Record<string, string>, statistic: string, period: Duration) =>
    new cloudwatch.Metric({ namespace, metricName, dimensionsMap, statistic, period });

  const deadLettered = metric('Tidewatch', 'DeadLettered', SERVICE_DIMENSIONS, 'Sum', Duration.seconds(10)).createAlarm(stack, 'FilesDeadLettered', {
    alarmName: 'files-dead-lettered',
    alarmDescription: 'A file was dead-lettered.\nRunbook: https://example.test/runbooks/files-dead-lettered.md',
    threshold: 0,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  deadLettered.addAlarmAction(page);
  deadLettered.addOkAction(page);

  const dlqNotEmpty = metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'files-dlq' }, 'Maximum', Duration.minutes(1)).createAlarm(
    stack,
    'FilesDlqNotEmpty',
    { threshold: 0, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING },
  );
  dlqNotEmpty.addAlarmAction(page);

  metric('AWS/Lambda', 'Duration', { FunctionName: 'tidewatch-local-file-worker' }, 'p99', Duration.minutes(1)).createAlarm(stack, 'FilesWorkerDuration', {
    threshold: 1000,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  });

  new cloudwatch.MathExpression({
    expression: 'IF(FILL(visible, 0) > 0 AND FILL(deleted, 0) == 0, 1, 0)',
    label: 'Stalled',
    usingMetrics: {
      visible: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'files' }, 'Maximum', Duration.minutes(1)),
      deleted: metric('AWS/SQS', 'NumberOfMessagesDeleted', { QueueName: 'files' }, 'Sum', Duration.minutes(1)),
    },
    period: Duration.minutes(1),
  })
    .createAlarm(stack, 'FilesStalled', { threshold: 1, evaluationPeriods: 5, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD })
    .addAlarmAction(page);

  const anyDeath = new cloudwatch.CompositeAlarm(stack, 'FilesAnyDeath', {
    compositeAlarmName: 'files-any-death',
    alarmRule: cloudwatch.AlarmRule.anyOf(
      cloudwatch.AlarmRule.fromAlarm(deadLettered, cloudwatch.AlarmState.ALARM),
      cloudwatch.AlarmRule.fromAlarm(dlqNotEmpty, cloudwatch.AlarmState.ALARM),
    ),
  });
  anyDeath.addAlarmAction(page);

  const template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  const names: Record<string, string> = { [stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic)]: PAGING_TOPIC_ARN };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type.startsWith('AWS::CloudWatch::')) names[logicalId] = (resource.Properties?.AlarmName as string) ?? `Tidewatch-local-${logicalId}`;
  }
  return { template, resolve: templateResolver(names) };
}

/** The generated name of an alarm whose template sets none. */
export function alarmNameOf(fixture: AlarmFixture, logicalIdPrefix: string): string {
  const logicalId = Object.keys(fixture.template.Resources).find((id) => id.startsWith(logicalIdPrefix));
  if (!logicalId) throw new Error(`no resource ${logicalIdPrefix}*`);
  return fixture.resolve({ Ref: logicalId }) as string;
}
