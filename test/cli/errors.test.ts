import { SQSServiceException } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { CliError, explainFailure } from '../../cli/errors';

const local = { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' };
const aws = { region: 'eu-west-1' };
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('explainFailure', () => {
  it('names an unreachable endpoint, found in the cause chain or an aggregate, with a hint for the local cloud', () => {
    expect(explainFailure(withCode('connect ECONNREFUSED 127.0.0.1:4566', 'ECONNREFUSED'), local).message).toBe(
      'cannot reach http://127.0.0.1:4566 (ECONNREFUSED): is the local cloud running (npm start)?',
    );
    const wrapped = new Error('socket failed', { cause: new AggregateError([withCode('x', 'ENOTFOUND')]) });
    expect(explainFailure(wrapped, aws)).toMatchObject({ code: 'EndpointUnreachable', message: 'cannot reach AWS in eu-west-1 (ENOTFOUND)' });
    expect(explainFailure(Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }), aws).message).toBe(
      'cannot reach AWS in eu-west-1 (Connection timed out after 5000 ms)',
    );
  });

  it('says how to provide credentials when there are none', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(explainFailure(error, aws)).toMatchObject({ code: 'NoCredentials', message: expect.stringMatching(/^no AWS credentials found: set AWS_PROFILE/) });
  });

  it("quotes a service's answer with its error code, and anything else by class and message", () => {
    const denied = new SQSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not allowed' });
    expect(explainFailure(denied, aws)).toMatchObject({ code: 'AccessDenied', message: 'AWS in eu-west-1 answered AccessDenied: not allowed' });
    expect(explainFailure(new TypeError('boom')).message).toBe('TypeError: boom');
    expect(explainFailure('odd').message).toBe('odd');
  });

  it('passes an explained failure through', () => {
    const failure = new CliError('stack X not found', 'StackNotFound');
    expect(explainFailure(failure, aws)).toBe(failure);
  });
});
