import { describe, expect, it } from 'vitest';
import { httpEvent } from '../../test/support/handlers/lambda-events';
import { jobStatusUrl } from './status-url';

const JOB = '0b5c2a57-2f07-4a53-9b6b-9f1c8e8d1e01';

describe('jobStatusUrl', () => {
  it('uses the execute-api domain and scheme of the $default stage', () => {
    expect(jobStatusUrl(httpEvent(), JOB)).toBe(`https://api123.execute-api.us-east-1.amazonaws.com/jobs/${JOB}`);
  });

  it('keeps a named stage or custom-domain base path that precedes /jobs', () => {
    const event = httpEvent({ rawPath: '/prod/jobs/', requestContext: { ...httpEvent().requestContext, domainName: 'api.example.com', stage: 'prod' } });
    expect(jobStatusUrl(event, JOB)).toBe(`https://api.example.com/prod/jobs/${JOB}`);
  });

  it('adds a non-default forwarded port, and takes the first of forwarded values', () => {
    const event = httpEvent({
      headers: { 'x-forwarded-proto': 'http, https', 'x-forwarded-port': '3000, 443' },
      requestContext: { ...httpEvent().requestContext, domainName: '127.0.0.1' },
    });
    expect(jobStatusUrl(event, JOB)).toBe(`http://127.0.0.1:3000/jobs/${JOB}`);
  });

  it('keeps a port the domain already names', () => {
    const event = httpEvent({ headers: { 'x-forwarded-proto': 'http', 'x-forwarded-port': '3000' }, requestContext: { ...httpEvent().requestContext, domainName: 'localhost:3000' } });
    expect(jobStatusUrl(event, JOB)).toBe(`http://localhost:3000/jobs/${JOB}`);
  });

  it('falls back to a relative URL when the domain or scheme is unknown', () => {
    expect(jobStatusUrl(httpEvent({ headers: { 'x-forwarded-proto': '' } }), JOB)).toBe(`jobs/${JOB}`);
    expect(jobStatusUrl(httpEvent({ headers: { 'x-forwarded-proto': 'gopher' } }), JOB)).toBe(`jobs/${JOB}`);
    expect(jobStatusUrl(httpEvent({ requestContext: { ...httpEvent().requestContext, domainName: '' } }), JOB)).toBe(`jobs/${JOB}`);
  });

  it('ignores an unexpected path rather than guessing a base', () => {
    expect(jobStatusUrl(httpEvent({ rawPath: '/submit' }), JOB)).toBe(`https://api123.execute-api.us-east-1.amazonaws.com/jobs/${JOB}`);
  });
});
