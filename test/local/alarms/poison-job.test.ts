/**
 * A poison job on the local cloud, as the on-call sees it: the high-resolution dead-lettered alarm
 * pages within 60 s of the job's final failure, the DLQ-not-empty backstop follows, and once the DLQ is
 * emptied both return to OK and say so on the paging topic.
 */
import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlarmType } from '../../../local/template/resource-support';
import { realPages } from '../../../local/paging-inbox';
import { driveUntil, startAlarmCloud, waitFor, type AlarmCloud } from './alarm-cloud';

let alarms: AlarmCloud;

beforeAll(async () => {
  // Backoff 1 s, 2 s instead of 10 s, 20 s: the three attempts take seconds, not half a minute.
  alarms = await startAlarmCloud({ context: { tidewatch: { retryBackoffBaseSeconds: 1 } } });
});

afterAll(async () => {
  await alarms?.stop();
});

describe('the local CloudWatch, wired', () => {
  it("evaluates every alarm of the template, composite ones included, and no longer lists alarms as not emulated", async () => {
    const templateAlarms = Object.entries(alarms.cloud.services.template.Resources).filter(([, resource]) => isAlarmType(resource.Type));
    const expected = templateAlarms.map(([logicalId]) => String(alarms.cloud.services.resolve({ Ref: logicalId }))).sort();
    expect(templateAlarms.some(([, resource]) => resource.Type === 'AWS::CloudWatch::CompositeAlarm')).toBe(true);
    expect(Object.keys(await alarms.alarmStates()).sort()).toEqual(expected);
    expect(alarms.cloud.services.unsupportedResources.filter((resource) => isAlarmType(resource.type))).toEqual([]);
  });
});

describe('a poison job', () => {
  it('pages dead-lettered within 60 s of its final failure, DLQ-not-empty follows, and both return to OK once the DLQ is emptied', async () => {
    const deadLettered = alarms.alarmName('jobs-dead-lettered');
    const dlqNotEmpty = alarms.alarmName('jobs-dlq-not-empty');

    const submitted = await fetch(`${alarms.cloud.endpoints.api}jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task: 'echo', fail: true }),
    });
    expect(submitted.status).toBe(202);
    const { jobId } = (await submitted.json()) as { jobId: string };

    // The worker's own record of the final failure: its log line (Powertools timestamp).
    const finalFailure = await waitFor(
      'the final-attempt log line',
      () =>
        alarms.lines
          .filter(({ line }) => line.startsWith('{') && line.includes(jobId))
          .map(({ line }) => JSON.parse(line) as { message?: string; timestamp?: string })
          .find((entry) => entry.message?.includes('final attempt')),
      30_000,
    );
    const failedAt = Date.parse(finalFailure.timestamp!);

    const alarmPage = await waitFor(
      `the ${deadLettered} ALARM page`,
      async () => {
        await alarms.inbox.receive();
        return alarms.inbox.find(deadLettered, 'ALARM');
      },
      60_000,
    );
    expect(alarmPage.deliveredAt - failedAt).toBeLessThanOrEqual(60_000);
    expect(alarmPage.oldState).toBe('OK');
    expect(alarmPage.description).toMatch(/^CRITICAL: .+\nQueue: jobs\nRunbook: \S+\/dead-lettered\.md$/);
    expect(alarms.clock.aheadMs).toBe(0); // that page came in real time

    // The worker releases the message on its final failure: SQS moves it to the DLQ on the next receive.
    await waitFor('the job in the DLQ', async () => ((await dlqDepth()) === 1 ? true : undefined), 60_000, 250);
    await driveUntil(alarms, `the ${dlqNotEmpty} ALARM page`, () => alarms.inbox.find(dlqNotEmpty, 'ALARM'), 3 * 60_000);

    await alarms.sqs.send(new PurgeQueueCommand({ QueueUrl: alarms.outputs.JobsDeadLetterQueueUrl }));
    await driveUntil(alarms, 'OK pages for both alarms', () => (alarms.inbox.find(deadLettered, 'OK') && alarms.inbox.find(dlqNotEmpty, 'OK') ? true : undefined), 3 * 60_000);

    const states = await alarms.alarmStates();
    expect([states[deadLettered], states[dlqNotEmpty]]).toEqual(['OK', 'OK']);
    // Paged once per transition: ALARM then OK, for each of the two alarms.
    const sequence = (name: string) => realPages(alarms.inbox.pages).filter((page) => page.alarmName === name).map((page) => page.newState);
    expect(sequence(deadLettered)).toEqual(['ALARM', 'OK']);
    expect(sequence(dlqNotEmpty)).toEqual(['ALARM', 'OK']);
  });
});

async function dlqDepth(): Promise<number> {
  const { Attributes = {} } = await alarms.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: alarms.outputs.JobsDeadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
}
