import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors';
import { flagHelp, integerFlag, resolveTarget } from '../../cli/options';

describe('resolveTarget', () => {
  it('defaults to Tidewatch-dev in us-east-1 on AWS', () => {
    expect(resolveTarget({}, {})).toEqual({ stackName: 'Tidewatch-dev', region: 'us-east-1' });
  });

  it('takes the stack from --stack, else --stage, else TIDEWATCH_STACK, else TIDEWATCH_STAGE (as runbooks/env.sh)', () => {
    const env = { TIDEWATCH_STACK: 'Tidewatch-pr-42', TIDEWATCH_STAGE: 'local' };
    expect(resolveTarget({ stack: 'Custom' }, env).stackName).toBe('Custom');
    expect(resolveTarget({ stage: 'prod' }, env).stackName).toBe('Tidewatch-prod');
    expect(resolveTarget({}, env).stackName).toBe('Tidewatch-pr-42');
    expect(resolveTarget({}, { TIDEWATCH_STAGE: 'local' }).stackName).toBe('Tidewatch-local');
  });

  it('refuses --stack with --stage, and a stage that cannot be part of a stack name', () => {
    expect(() => resolveTarget({ stack: 'A', stage: 'b' }, {})).toThrow(/--stack and --stage name the stack twice/);
    expect(() => resolveTarget({ stage: 'my stage' }, {})).toThrow(UsageError);
  });

  it('takes the region from --region, AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-central-1' };
    expect(resolveTarget({ region: 'ap-south-1' }, env).region).toBe('ap-south-1');
    expect(resolveTarget({}, env).region).toBe('eu-west-1');
    expect(resolveTarget({}, { AWS_DEFAULT_REGION: 'eu-central-1' }).region).toBe('eu-central-1');
    expect(resolveTarget({}, { AWS_REGION: '' }).region).toBe('us-east-1');
  });

  it('takes the endpoint from --endpoint-url, else AWS_ENDPOINT_URL, and requires an http(s) URL', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
    expect(resolveTarget({}, env).endpoint).toBe('http://127.0.0.1:4566');
    expect(resolveTarget({ 'endpoint-url': 'http://localhost:5000' }, env).endpoint).toBe('http://localhost:5000');
    expect(() => resolveTarget({ 'endpoint-url': '127.0.0.1:4566' }, {})).toThrow(/--endpoint-url must be an http\(s\) URL/);
  });
});

describe('integerFlag', () => {
  const bounds = { min: 1, max: 100, default: 10 };
  it('reads a whole number within bounds, or the default when absent', () => {
    expect(integerFlag({}, 'max', bounds, 'dlq peek')).toBe(10);
    expect(integerFlag({ max: '25' }, 'max', bounds, 'dlq peek')).toBe(25);
  });

  it.each(['0', '101', '2.5', 'ten', '-3', ''])('refuses %j with a usage error for the command', (raw) => {
    expect(() => integerFlag({ max: raw }, 'max', bounds, 'dlq peek')).toThrow(expect.objectContaining({ name: 'UsageError', commandPath: 'dlq peek', message: expect.stringContaining('--max must be a whole number from 1 to 100') }));
  });
});

describe('flagHelp', () => {
  it('aligns flags with their value names', () => {
    expect(flagHelp({ max: { type: 'string', valueName: 'n', description: 'how many' }, json: { type: 'boolean', description: 'JSON' } })).toEqual([
      '  --max <n>   how many',
      '  --json      JSON',
    ]);
  });
});
