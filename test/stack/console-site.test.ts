/**
 * The console in the distribution: adding `site/` exposes nothing else. The distribution has one origin
 * (the bucket, no origin path) and behaviors for exactly `processed/*` and `site/*`; everything else
 * falls to the default behavior's edge function; the bucket policy denies CloudFront any other key; and
 * the deployment writes only the console's files, under `site/`, with rights on nothing else.
 */
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_SOURCE_DIR } from '../../lib/console-site';
import { consoleCalls } from './console-calls';
import { asList, references, resourcesOfType, roleStatements, synthesize, type Json } from './synth';

const synth = synthesize();
afterAll(() => synth.dispose());
const { stack, json } = synth;
const { id } = references(stack);
const distribution = json.Resources[id(stack.delivery.distribution)].Properties.DistributionConfig as Json;
const edgeCode = json.Resources[distribution.DefaultCacheBehavior.FunctionAssociations[0].FunctionARN['Fn::GetAtt'][0]].Properties.FunctionCode as string;
const edgeHandler = new Function(`${edgeCode}; return handler;`)() as (event: Json) => Json;

/** The path a viewer request takes: a behavior's prefix, or the default behavior's function's answer. */
function route(uri: string): string {
  const behavior = (distribution.CacheBehaviors as Json[]).find((candidate) => uri.slice(1).startsWith((candidate.PathPattern as string).slice(0, -1)));
  if (behavior) return `s3:${behavior.PathPattern}`;
  return `edge:${edgeHandler({ request: { uri, method: 'GET' } }).statusCode}`;
}

const calls = consoleCalls(json);

describe('the distribution with the console', () => {
  it('reads the whole bucket through one origin with no origin path, so a behavior’s pattern is the key prefix', () => {
    expect(distribution.Origins).toHaveLength(1);
    expect(distribution.Origins[0].OriginPath ?? '').toBe('');
  });

  it.each([
    ['/site/index.html', 's3:site/*'],
    ['/site/config.js', 's3:site/*'],
    ['/processed/f1/data.csv', 's3:processed/*'],
    ['/uploads/f1/data.csv', 'edge:404'],
    ['/reports/2030-W01.html', 'edge:404'],
    ['/dead-letters/jobs/m1.json', 'edge:404'],
    ['/cloudfront/E1.2030-01-01.gz', 'edge:404'],
    ['/sitemap.xml', 'edge:404'],
    ['/', 'edge:302'],
  ])('routes %s to %s', (uri, expected) => {
    expect(route(uri)).toBe(expected);
  });

  it('denies CloudFront every key outside processed/ and site/ in the bucket policy', () => {
    const deny = Object.values(resourcesOfType(json, 'AWS::S3::BucketPolicy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Effect === 'Deny' && statement.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(deny).toHaveLength(1);
    const prefixes = asList(deny[0]!.NotResource as Json[]).map((resource) => (resource['Fn::Join'][1] as unknown[]).at(-1));
    expect(prefixes).toEqual(['/processed/*', '/site/*']);
  });
});

describe('the console deployment', () => {
  const puts = calls.filter((call) => call.action === 'putObject');

  it('puts each file of site/ and the generated config.js under site/, nothing else', () => {
    expect(puts.map((call) => call.parameters.Key).sort()).toEqual([...readdirSync(CONSOLE_SOURCE_DIR).map((name) => `site/${name}`), 'site/config.js'].sort());
    for (const call of puts) expect(call).toMatchObject({ service: 'S3', parameters: { Bucket: 'TOKEN', CacheControl: 'no-cache' } });
    expect(puts.find((call) => call.parameters.Key === 'site/index.html')!.parameters.ContentType).toBe('text/html; charset=utf-8');
  });

  it('then invalidates the console’s paths only', () => {
    const invalidations = calls.filter((call) => call.action === 'createInvalidation');
    expect(invalidations).toHaveLength(1);
    expect(invalidations[0]!.parameters.InvalidationBatch.Paths).toEqual({ Quantity: 1, Items: ['/site/*'] });
  });

  it('may put objects only under site/ and invalidate only this distribution', () => {
    const handlerId = Object.keys(resourcesOfType(json, 'AWS::Lambda::Function')).find((logicalId) => /^AWS[0-9a-f]{32}/.test(logicalId))!;
    const statements = roleStatements(json, handlerId);
    const actions = statements.flatMap((statement) => asList(statement.Action as string | string[]));
    expect([...new Set(actions)].sort()).toEqual(['cloudfront:CreateInvalidation', 's3:PutObject']);
    for (const statement of statements.filter((candidate) => candidate.Action === 's3:PutObject')) {
      const key = (statement.Resource['Fn::Join'][1] as unknown[]).at(-1) as string;
      expect(key).toMatch(/^\/site\/[^*]+$/);
    }
  });
});
