/**
 * The two kinds of stage, each on one synth: a preview (with the fan-out topic, so both KMS keys are
 * there) deletes everything with its stack, and a stage that is not a preview retains its data. Both
 * carry the tags that say what they are and where they came from.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resourcesOfType, synthesize, type Json } from './synth';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const preview = synthesize({
  tidewatch: JSON.stringify({ stage: 'pr42', preview: true, sloBurnRateAlarms: false, fanOut: true }),
  pr: '42',
  repo: 'tidewatch/tidewatch',
  sha: SHA,
  runId: '987654321',
});
const kept = synthesize({ stage: 'prod' });
afterAll(() => [preview, kept].forEach((synth) => synth.dispose()));

/** CloudFormation deletes a resource without a policy; any other policy leaves it behind. */
const leavesBehind = (policy: string | undefined) => policy !== undefined && policy !== 'Delete';
/** Every resource a stack deletion (or a replacement) would leave behind. */
const retained = (json: Json) =>
  Object.values(json.Resources as Record<string, Json>).filter((r) => leavesBehind(r.DeletionPolicy) || leavesBehind(r.UpdateReplacePolicy));
/** A resource's tags, as CloudFormation lists them (most types) or maps them (HTTP APIs, ...). */
const tagsOf = (resource: Json): Record<string, string> | undefined => {
  const tags = resource.Properties?.Tags as { Key: string; Value: string }[] | Record<string, string> | undefined;
  return Array.isArray(tags) ? Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value])) : tags;
};

describe('a preview stage', () => {
  const { json, stack } = preview;

  it('retains nothing: every resource is deleted with the stack (today a destroy of a stage leaves 11 behind)', () => {
    expect(retained(json)).toEqual([]);
    expect(Object.keys(resourcesOfType(json, 'AWS::S3::Bucket'))).toHaveLength(2);
    expect(Object.keys(resourcesOfType(json, 'AWS::Logs::LogGroup')).length).toBeGreaterThan(0);
  });

  it('empties every bucket before deleting it', () => {
    const emptied = Object.values(resourcesOfType(json, 'Custom::S3AutoDeleteObjects')).map((r) => r.Properties.BucketName.Ref);
    expect(emptied.sort()).toEqual(Object.keys(resourcesOfType(json, 'AWS::S3::Bucket')).sort());
  });

  it('schedules each KMS key for deletion after the 7-day minimum', () => {
    const keys = Object.values(resourcesOfType(json, 'AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatchObject({ DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
  });

  it('tags the stack and its resources with what it is, which pull request, commit and run made it', () => {
    const expected = { 'managed-by': 'github-actions', preview: 'true', pr: '42', repo: 'tidewatch/tidewatch', sha: SHA, 'run-id': '987654321' };
    // Stack tags reach every resource that takes tags when CloudFormation deploys it; CDK also writes them into the template.
    expect(stack.tags.tagValues()).toMatchObject(expected);
    const tagged = Object.values(json.Resources as Record<string, Json>).filter((resource) => tagsOf(resource) !== undefined);
    for (const resource of tagged) expect(tagsOf(resource), resource.Type).toMatchObject(expected);
    expect(tagged.map((resource) => resource.Type)).toEqual(
      expect.arrayContaining(['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::CloudFront::Distribution', 'AWS::ApiGatewayV2::Api']),
    );
  });

  it('drops the SLO burn-rate alarms by config and keeps the others', () => {
    const alarmNames = Object.values(resourcesOfType(json, 'AWS::CloudWatch::Alarm')).map((r) => r.Properties.AlarmName as string);
    expect(Object.keys(resourcesOfType(json, 'AWS::CloudWatch::CompositeAlarm'))).toEqual([]);
    expect(alarmNames.filter((name) => name.includes('slo-burn'))).toEqual([]);
    expect(alarmNames).toEqual(expect.arrayContaining(['Tidewatch-pr42-jobs-dead-lettered', 'Tidewatch-pr42-files-stall', 'Tidewatch-pr42-api-5xx']));
  });

  it('passes cdk-nag with no new acknowledgement', () => {
    expect(preview.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath)}`)).toEqual([]);
  });
});

describe('a stage that is not a preview', () => {
  const { json, stack } = kept;

  it('retains its data, and only that: buckets, tables, log groups and the paging key', () => {
    const byType = Map.groupBy(retained(json), (resource) => resource.Type as string);
    expect(Object.fromEntries([...byType].map(([type, list]) => [type, list.length]))).toEqual({
      'AWS::S3::Bucket': 2,
      'AWS::DynamoDB::Table': 3,
      // One per function (eight, file-status among them) and the API's access log.
      'AWS::Logs::LogGroup': 9,
      'AWS::KMS::Key': 1,
    });
    for (const resource of retained(json)) expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('neither empties its buckets nor shortens its key deletion window', () => {
    expect(resourcesOfType(json, 'Custom::S3AutoDeleteObjects')).toEqual({});
    for (const key of Object.values(resourcesOfType(json, 'AWS::KMS::Key'))) expect(key.Properties.PendingWindowInDays).toBeUndefined();
  });

  it('keeps the SLO burn-rate alarms', () => {
    expect(Object.keys(resourcesOfType(json, 'AWS::CloudWatch::CompositeAlarm')).length).toBeGreaterThan(0);
  });

  it('is tagged as no preview, by cdk, with no deployment it did not get', () => {
    const tags = stack.tags.tagValues();
    expect(tags).toMatchObject({ 'managed-by': 'cdk', preview: 'false' });
    for (const key of ['pr', 'repo', 'sha', 'run-id']) expect(tags).not.toHaveProperty(key);
  });
});
