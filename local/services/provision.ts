/**
 * Creates the template's queues, topics, subscriptions, buckets (with notifications) and tables
 * in the emulators, with their properties, through the AWS SDK.
 */
import type { StoragePlan } from '../template/model';
import type { BackendClients } from './backend-clients';
import type { DynamoDbService } from './dynamodb-service';
import type { S3Notifications } from './s3-notifications';

/** Longest a new table may stay CREATING: dynalite flips it to ACTIVE on its next timer tick. */
const TABLE_ACTIVE_WITHIN_MS = 10_000;

export interface ProvisionTargets {
  readonly clients: BackendClients;
  readonly notifications: S3Notifications;
  readonly dynamodb: DynamoDbService;
}

export async function provision(plan: StoragePlan, targets: ProvisionTargets): Promise<void> {
  const [sqs, sns, s3, dynamodb] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  const { clients } = targets;

  const createQueues = async () => {
    // Dead-letter targets first: a RedrivePolicy must name an existing queue.
    const [targetsFirst, withRedrive] = partition(plan.queues, (queue) => !('RedrivePolicy' in queue.attributes));
    const createOrUpdate = async (queue: StoragePlan['queues'][number]) => {
      try {
        await clients.sqs.send(new sqs.CreateQueueCommand({ QueueName: queue.name, Attributes: queue.attributes }));
      } catch (error) {
        // Kept data (--keep) of a template whose queue settings changed since: updated, as a stack update would.
        if (!(error instanceof sqs.QueueNameExists)) throw error;
        await clients.sqs.send(new sqs.SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: queue.attributes }));
      }
    };
    for (const group of [targetsFirst, withRedrive]) await Promise.all(group.map(createOrUpdate));
  };
  const createTopics = () =>
    Promise.all(plan.topics.map((topic) => clients.sns.send(new sns.CreateTopicCommand({ Name: topic.name, Attributes: topic.attributes }))));
  const createBuckets = () => Promise.all(plan.buckets.map((bucket) => clients.s3.send(new s3.CreateBucketCommand({ Bucket: bucket.name }))));
  // dynalite answers a call on a CREATING table with ResourceNotFoundException, and on a busy machine its
  // flip to ACTIVE can come after the first request of a test or a function: wait as an AWS client would.
  const untilActive = async (tableName: string) => {
    const deadline = Date.now() + TABLE_ACTIVE_WITHIN_MS;
    for (;;) {
      const { Table } = await clients.dynamodb.send(new dynamodb.DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      if (Date.now() > deadline) throw new Error(`table ${tableName} is still ${Table?.TableStatus} after ${TABLE_ACTIVE_WITHIN_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const createTables = () =>
    Promise.all(
      plan.tables.map(async (table) => {
        try {
          await clients.dynamodb.send(new dynamodb.CreateTableCommand(table.createTable as unknown as ConstructorParameters<typeof dynamodb.CreateTableCommand>[0]));
        } catch (error) {
          // Kept data (--keep): the table is already there.
          if ((error as Error).name !== 'ResourceInUseException') throw error;
        }
        await untilActive(table.name);
        targets.dynamodb.setTimeToLive(table.name, table.ttlAttribute);
      }),
    );

  await Promise.all([createQueues(), createTopics(), createBuckets(), createTables()]);
  await Promise.all(
    plan.subscriptions.map((subscription) =>
      clients.sns.send(
        new sns.SubscribeCommand({ TopicArn: subscription.topicArn, Protocol: 'sqs', Endpoint: subscription.queueArn, Attributes: subscription.attributes, ReturnSubscriptionArn: true }),
      ),
    ),
  );
  // Last: configuring notifications sends each destination the s3:TestEvent, so they must exist.
  const buckets = new Set(plan.notifications.map((rule) => rule.bucket));
  await Promise.all([...buckets].map((bucket) => targets.notifications.configure(bucket, plan.notifications.filter((rule) => rule.bucket === bucket))));
}

function partition<T>(items: readonly T[], predicate: (item: T) => boolean): [T[], T[]] {
  return [items.filter(predicate), items.filter((item) => !predicate(item))];
}

