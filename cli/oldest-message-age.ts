/**
 * The age of a queue's oldest message, from the AWS/SQS metric (SQS offers no attribute for it).
 */
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** A queue's name: the last path segment of its URL (the `QueueName` dimension of AWS/SQS). */
function queueNameOf(queueUrl: string): string {
  return new URL(queueUrl).pathname.split('/').filter(Boolean).at(-1) ?? queueUrl;
}

/** SQS publishes its metrics every minute, sometimes minutes late: older datapoints count as unknown. */
const AGE_LOOKBACK_MS = 15 * 60 * 1000;

/** The latest `ApproximateAgeOfOldestMessage` (seconds) of each queue within the lookback, by queue URL; absent when unknown. */
export async function oldestMessageAges(cloudWatch: CloudWatchClient, queueUrls: readonly string[], now: Date): Promise<Map<string, number>> {
  const { MetricDataResults: results = [] } = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - AGE_LOOKBACK_MS),
      EndTime: now,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: queueUrls.map((queueUrl, index) => ({
        Id: `age${index}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: queueNameOf(queueUrl) }] },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  const ages = new Map<string, number>();
  queueUrls.forEach((queueUrl, index) => {
    // Newest first (ScanBy): the first value is the latest minute's.
    const [seconds] = results.find((result) => result.Id === `age${index}`)?.Values ?? [];
    if (seconds !== undefined) ages.set(queueUrl, seconds);
  });
  return ages;
}
