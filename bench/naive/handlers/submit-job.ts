/** The naive POST /jobs: one SendMessage, 202 with the job id, one log line. */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const sqs = new SQSClient({});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = JSON.parse(event.body ?? '{}') as { task?: string; payload?: unknown };
  const jobId = randomUUID();
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ jobId, task: body.task, payload: body.payload }) }));
  console.log(JSON.stringify({ message: 'job queued', jobId }));
  return { statusCode: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jobId }) };
}
