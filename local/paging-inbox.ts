/**
 * A queue subscribed to the paging topic through the real SNS API: pages read exactly as a subscriber
 * receives them (CloudWatch's JSON notification in SNS's envelope), with the time SNS delivered each.
 * The alarm tests and the time-to-page benchmark read the local cloud's pages this way.
 */
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isFirstEvaluationOk } from './pages';
import { LOCAL_CREDENTIALS } from '../contract/local-cloud';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One CloudWatch alarm notification as the paging topic's subscriber received it. */
export interface ReceivedPage {
  readonly alarmName: string;
  readonly oldState: AlarmStateValue;
  readonly newState: AlarmStateValue;
  readonly reason: string;
  readonly description: string;
  /** When SNS delivered it to the subscribed queue (epoch ms, the queue's SentTimestamp). */
  readonly deliveredAt: number;
}

export interface PagingInboxOptions {
  /** The AWS endpoint (the local cloud's). */
  readonly endpoint: string;
  readonly region: string;
  readonly topicArn: string;
  /** @default 'on-call-pager' */
  readonly queueName?: string;
}

export class PagingInbox {
  /** Every page received so far, in order of delivery. */
  readonly pages: ReceivedPage[] = [];

  private constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Creates the queue and subscribes it to the topic. */
  static async subscribe(options: PagingInboxOptions): Promise<PagingInbox> {
    const common = { endpoint: options.endpoint, region: options.region, credentials: LOCAL_CREDENTIALS };
    const sqs = new SQSClient(common);
    const sns = new SNSClient(common);
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: options.queueName ?? 'on-call-pager' }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await sns.send(new SubscribeCommand({ TopicArn: options.topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
      return new PagingInbox(sqs, QueueUrl!);
    } finally {
      sns.destroy();
    }
  }

  /** Reads every page waiting in the queue into `pages`; resolves to the new ones. */
  async receive(): Promise<ReceivedPage[]> {
    const received: ReceivedPage[] = [];
    for (;;) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['SentTimestamp'] }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) received.push(readPage(message.Body ?? '', Number(message.Attributes?.SentTimestamp)));
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    }
    this.pages.push(...received);
    return received;
  }

  /** The first page received so far for `alarmName` entering `newState` (first-evaluation OKs left out). */
  find(alarmName: string, newState: AlarmStateValue): ReceivedPage | undefined {
    return realPages(this.pages).find((page) => page.alarmName === alarmName && page.newState === newState);
  }

  close(): void {
    this.sqs.destroy();
  }
}

/** Pages worth a human: everything but the OK every alarm sends when first evaluated on a quiet cloud. */
export function realPages(pages: readonly ReceivedPage[]): ReceivedPage[] {
  return pages.filter((page) => !isFirstEvaluationOk(page));
}

/** The CloudWatch notification inside SNS's envelope. */
function readPage(body: string, deliveredAt: number): ReceivedPage {
  const envelope = JSON.parse(body) as { Message: string };
  const message = JSON.parse(envelope.Message) as Record<string, string | undefined>;
  return {
    alarmName: message.AlarmName ?? '',
    oldState: message.OldStateValue as AlarmStateValue,
    newState: message.NewStateValue as AlarmStateValue,
    reason: message.NewStateReason ?? '',
    description: message.AlarmDescription ?? '',
    deliveredAt,
  };
}
