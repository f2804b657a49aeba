/**
 * A stalled worker on the local cloud: the jobs event source mapping is disabled (as an operator, or a
 * broken deploy, can leave it in AWS), jobs wait in the queue and nothing deletes them. The stall alarm
 * needs 5 minutes of that: the local CloudWatch's clock is driven through them.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynthesizedStack } from '../../../local/template/model';
import { driveUntil, startAlarmCloud, type AlarmCloud } from './alarm-cloud';

let alarms: AlarmCloud;

/** The template with the jobs queue's event source mapping disabled: its worker is never invoked. */
function withJobsWorkerStopped(stack: SynthesizedStack): SynthesizedStack {
  const jobsQueue = (stack.template.Outputs?.JobsQueueUrl?.Value as { Ref?: string } | undefined)?.Ref;
  const mapping = Object.values(stack.template.Resources).find(
    (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping' && (resource.Properties?.EventSourceArn as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt']?.[0] === jobsQueue,
  );
  if (!jobsQueue || !mapping?.Properties) throw new Error('the template has no event source mapping on the JobsQueueUrl output\'s queue');
  (mapping.Properties as Record<string, unknown>).Enabled = false;
  return stack;
}

beforeAll(async () => {
  alarms = await startAlarmCloud({ patchTemplate: withJobsWorkerStopped });
});

afterAll(async () => {
  await alarms?.stop();
});

describe('a stopped worker', () => {
  it('with jobs waiting and none deleted for 5 minutes fires the stall alarm, which pages', async () => {
    const stall = alarms.alarmName('jobs-stall');
    await alarms.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: alarms.outputs.JobsQueueUrl,
        Entries: [1, 2, 3].map((n) => ({ Id: String(n), MessageBody: JSON.stringify({ jobId: `stalled-${n}`, task: 'echo' }) })),
      }),
    );
    const sentAt = alarms.clock.now();

    // Not before 5 minutes of waiting: four minutes in, the stall alarm is still OK.
    await driveUntil(alarms, 'four minutes of waiting', () => (alarms.clock.now() - sentAt >= 4 * 60_000 ? true : undefined), 5 * 60_000);
    expect((await alarms.alarmStates())[stall]).toBe('OK');

    const page = await driveUntil(
      alarms,
      `the ${stall} ALARM page`,
      () => alarms.inbox.find(stall, 'ALARM'),
      4 * 60_000,
    );
    expect(page.reason).toMatch(/^Threshold Crossed: 5 out of the last 5 datapoints/);
    expect(page.description).toMatch(/^CRITICAL: .+\nQueue: jobs\nRunbook: \S+\/stall\.md$/);
    expect((await alarms.alarmStates())[stall]).toBe('ALARM');
  });
});
