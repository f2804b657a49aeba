/**
 * The work-queue construct alone, for what the full-stack synths do not reach: a DLQ that keeps dead
 * letters for less than the queue's default 4 days.
 */
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { WorkQueue } from '../../lib/work-queue';

it('never keeps messages in the queue longer than its DLQ keeps dead letters', () => {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
  const work = new WorkQueue(stack, 'Work', {
    name: 'jobs',
    settings: DEFAULT_CONFIG.workQueues.jobs!,
    config: { ...DEFAULT_CONFIG, deadLetterRetentionDays: 2 },
    environment: {},
  });
  const resources = Template.fromStack(stack).toJSON().Resources;
  const retention = (queue: typeof work.queue) => resources[stack.getLogicalId(queue.node.defaultChild as CfnElement)].Properties.MessageRetentionPeriod;
  expect(retention(work.deadLetterQueue)).toBe(2 * 86400);
  expect(retention(work.queue)).toBe(2 * 86400);
});
