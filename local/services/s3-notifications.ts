/**
 * S3 event notifications, which fauxqs lacks: the template's rules per bucket, the `s3:TestEvent` when
 * they are configured, and one event per matching rule after an object is created, sent to SQS or
 * published to SNS (where subscriptions wrap it, or not, as templated).
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { NotificationRule } from '../template/model';
import type { BackendClients } from './backend-clients';
import type { QueueUrls } from './queue-urls';
import { randomHostId, randomRequestId } from './s3-ids';
import type { SqsActivity } from './sqs-activity';
import { objectCreatedEvent, ruleMatches, testEvent, type ObjectCreated, type ObjectCreatedKind } from './s3-event';

/** Attempts per delivery: a notification is not given up on a single failed send. */
const DELIVERY_ATTEMPTS = 3;

export class S3Notifications {
  private readonly rulesByBucket = new Map<string, NotificationRule[]>();

  constructor(
    private readonly clients: BackendClients,
    private readonly queueUrls: QueueUrls,
    private readonly onWarning: (message: string) => void,
    private readonly activity: SqsActivity,
  ) {}

  /** Sets a bucket's rules (replacing earlier ones) and sends each destination the `s3:TestEvent`. */
  async configure(bucket: string, rules: readonly NotificationRule[]): Promise<void> {
    this.rulesByBucket.set(bucket, [...rules]);
    const destinations = new Map(rules.map((rule) => [rule.destination.arn, rule.destination]));
    const message = JSON.stringify(testEvent(bucket, new Date(), randomRequestId(), randomHostId()));
    await Promise.all([...destinations.values()].map((destination) => this.deliver(destination, message)));
  }

  rules(bucket: string): readonly NotificationRule[] {
    return this.rulesByBucket.get(bucket) ?? [];
  }

  /** Whether a rule fires for this object creation (spares a HeadObject when none does, e.g. the worker's copy to processed/). */
  watches(bucket: string, kind: ObjectCreatedKind, key: string): boolean {
    return this.matching(bucket, kind, key).length > 0;
  }

  async objectCreated(event: ObjectCreated): Promise<void> {
    const matching = this.matching(event.bucket, event.kind, event.key);
    await Promise.all(matching.map((rule) => this.deliver(rule.destination, JSON.stringify(objectCreatedEvent(event, rule.id)))));
  }

  private matching(bucket: string, kind: ObjectCreatedKind, key: string): NotificationRule[] {
    return this.rules(bucket).filter((rule) => ruleMatches(rule, kind, key));
  }

  // The SDK commands are imported statically: the backend clients load these packages at start anyway,
  // and a dynamic import per delivery costs a module resolution (through tsx's loader hooks) each time.
  private async deliver(destination: NotificationRule['destination'], message: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (destination.service === 'sqs') {
          const queueUrl = this.queueUrls.backendFromArn(destination.arn);
          await this.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message }));
          this.activity.record(queueUrl, 'SendMessage', 1);
        } else {
          await this.clients.sns.send(new PublishCommand({ TopicArn: destination.arn, Subject: 'Amazon S3 Notification', Message: message }));
        }
        return;
      } catch (error) {
        if (attempt >= DELIVERY_ATTEMPTS) {
          this.onWarning(`S3 notification to ${destination.arn} not delivered after ${attempt} attempts: ${(error as Error).message}; event: ${message}`);
          return;
        }
      }
    }
  }
}
