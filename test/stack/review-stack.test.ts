/**
 * The weekly review's resources, on one synth with non-default review settings so each is seen to come
 * from config: the schedule, the reports topic (not the paging topic) and its subscriptions, the
 * function's sources (every name a reference to the resource it names), its outputs, and a clean
 * cdk-nag. The role's exact grants are in pipeline-stack.test.ts with every other function's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/env';
import type { ReviewSources } from '../../contract/review';
import { ConfigError, DEFAULT_CONFIG, validateConfig } from '../../lib/config';
import { references, resourcesOfType, synthesize, type Json } from './synth';

const CONTEXT = {
  stage: 'rev1',
  reviewSchedule: 'cron(30 6 ? * TUE *)',
  reviewTimeZone: 'Europe/Paris',
  reviewEmails: ['team@example.com'],
  deadLetterRetentionDays: 9,
  successSloPercent: 99.5,
};

const synth = synthesize(CONTEXT);
afterAll(() => synth.dispose());
const { stack, template, json } = synth;
const { id, ref, arn } = references(stack);

/** A reference as a string that JSON around it can hold: `<ref:{'Ref':'Id'}>`. */
const standIn = (token: unknown) => `<ref:${JSON.stringify(token).replaceAll('"', "'")}>`;
/** A joined template value with each reference as its stand-in, so JSON written around references parses. */
function withStandIns(value: Json): string {
  const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
  return parts.map((part) => (typeof part === 'string' ? part : standIn(part))).join(separator);
}

describe('the weekly review', () => {
  const functionProps = json.Resources[id(stack.review.function)].Properties;

  it('runs on the configured schedule (Monday 08:00 UTC unless configured)', () => {
    expect(DEFAULT_CONFIG.reviewSchedule).toBe('cron(0 8 ? * MON *)');
    expect(DEFAULT_CONFIG.reviewTimeZone).toBe('UTC');
    const rules = Object.values(resourcesOfType(json, 'AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties).toMatchObject({
      ScheduleExpression: 'cron(30 6 ? * TUE *)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ Arn: arn(stack.review.function), RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  it('publishes to its own encrypted reports topic, with the configured subscribers, never to the paging topic', () => {
    expect(id(stack.review.topic)).not.toBe(id(stack.paging.topic));
    const topic = json.Resources[id(stack.review.topic)].Properties;
    expect(topic.DisplayName).toBe('Tidewatch rev1 weekly reviews');
    expect(JSON.stringify(topic.KmsMasterKeyId)).toMatch(/:alias\/aws\/sns"\]\]\}$/);
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: ref(stack.review.topic), Protocol: 'email', Endpoint: 'team@example.com' });
    expect(functionProps.Environment.Variables[ENV.reportsTopicArn]).toEqual(ref(stack.review.topic));
  });

  it('tells the function every name it reads, as references to the resources', () => {
    const sources = JSON.parse(withStandIns(functionProps.Environment.Variables[ENV.reviewSources])) as ReviewSources;
    const files = stack.workQueues.files!;
    expect(sources).toEqual({
      stackName: 'Tidewatch-rev1',
      stage: 'rev1',
      timeZone: 'Europe/Paris',
      successSloPercent: 99.5,
      freshnessSloPercent: 99,
      freshnessSloSeconds: 300,
      deadLetterRetentionDays: 9,
      apiId: standIn(ref(stack.httpApi.api)),
      workQueues: [
        {
          name: 'files',
          worker: 'file-worker',
          queueName: standIn({ 'Fn::GetAtt': [id(files.queue), 'QueueName'] }),
          deadLetterQueueName: standIn({ 'Fn::GetAtt': [id(files.deadLetterQueue), 'QueueName'] }),
          workerFunctionName: standIn(ref(files.worker)),
          workerTimeoutSeconds: 60,
        },
        expect.objectContaining({ name: 'jobs', worker: 'job-worker', workerTimeoutSeconds: 30 }),
      ],
    });
  });

  it('is found by its outputs', () => {
    expect(json.Outputs.ReviewFunctionName.Value).toEqual(ref(stack.review.function));
    expect(json.Outputs.ReportsTopicArn.Value).toEqual(ref(stack.review.topic));
  });

  it('passes cdk-nag', () => {
    expect(synth.violations).toEqual([]);
  });
});

describe('review configuration', () => {
  it.each([
    [{ reviewTimeZone: 'Mars/Olympus' }, /reviewTimeZone must be an IANA time zone/],
    [{ reviewSchedule: 'every monday' }, /reviewSchedule must match/],
    [{ reviewEmails: ['not-an-address'] }, /reviewEmails must be a list of email addresses/],
  ])('refuses %j', (raw, message) => {
    expect(() => validateConfig(raw)).toThrow(ConfigError);
    expect(() => validateConfig(raw)).toThrow(message);
  });
});
