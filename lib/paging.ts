/**
 * Paging: the one SNS topic every alarm notifies on ALARM and on OK, encrypted with a customer managed
 * KMS key, with the on-call's email addresses and HTTPS endpoints (from config) subscribed.
 */
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { SnsAlarmActionStrategy, type IAlarmActionStrategy } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import type { TidewatchConfig } from './config';

export const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';

export type PagingProps = Pick<TidewatchConfig, 'stage' | 'pagingEmails' | 'pagingHttpsUrls'>;

export class Paging extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;
  /** ALARM and OK notifications to the paging topic (cdk-monitoring-constructs' SNS strategy). */
  readonly alarmAction: IAlarmActionStrategy;

  constructor(scope: Construct, id: string, props: PagingProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Tidewatch ${props.stage}: encrypts the paging topic`,
      enableKeyRotation: true,
    });
    // CloudWatch encrypts each alarm notification it publishes with this key, as itself. Without this
    // grant the publish fails inside CloudWatch: the alarm still changes state, but no page goes out.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToPagingTopic',
        principals: [new iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `Tidewatch ${props.stage} pages`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default account-wide one:
    // let this account's alarms publish explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );

    for (const email of props.pagingEmails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const url of props.pagingHttpsUrls) {
      this.topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }));
    }

    this.alarmAction = new SnsAlarmActionStrategy({ onAlarmTopic: this.topic, onOkTopic: this.topic });
  }
}
