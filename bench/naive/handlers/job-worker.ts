/**
 * The naive job worker (batch size 1): run the task (Tidewatch's own tasks, so both pipelines do the
 * same work), one PutItem, one log line. A failure throws: SQS redelivers, then dead-letters.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { runTask } from '../../../handlers/job-worker/tasks';

const dynamodb = new DynamoDBClient({});

export async function handler(event: SQSEvent, context: Context): Promise<void> {
  const invocationMs = context.getRemainingTimeInMillis();
  for (const record of event.Records) {
    const job = JSON.parse(record.body) as { jobId: string; task: string; payload: unknown };
    const result = await runTask(job.task, job.payload, { remainingTimeMs: () => context.getRemainingTimeInMillis(), invocationMs });
    await dynamodb.send(new PutItemCommand({
      TableName: process.env.TABLE_NAME,
      Item: { id: { S: job.jobId }, kind: { S: 'job' }, status: { S: 'PROCESSED' }, task: { S: job.task }, result: { S: JSON.stringify(result) }, updatedAt: { S: new Date().toISOString() } },
    }));
    console.log(JSON.stringify({ message: 'job processed', jobId: job.jobId }));
  }
}
