import { describe, expect, it } from 'vitest';
import { errorResponse, HttpError, jsonResponse, readJsonBody } from './http';
import { httpEvent } from '../../test/support/handlers/lambda-events';

describe('jsonResponse', () => {
  it('answers JSON that is never cached, with extra headers', () => {
    expect(jsonResponse(202, { a: 1 }, { location: '/x' })).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', location: '/x' },
      body: '{"a":1}',
    });
  });
});

describe('errorResponse', () => {
  it('answers {error, message} with the error status', () => {
    const response = errorResponse(new HttpError(404, 'JobNotFound', 'no job with id x'));
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '')).toEqual({ error: 'JobNotFound', message: 'no job with id x' });
  });
});

describe('readJsonBody', () => {
  it.each([[undefined], [''], ['  \n ']])('reads an absent or blank body %j as undefined', (body) => {
    expect(readJsonBody(httpEvent({ body }), 100)).toBeUndefined();
  });

  it('parses a JSON body, plain or base64-encoded', () => {
    expect(readJsonBody(httpEvent({ body: '{"a":[1]}' }), 100)).toEqual({ a: [1] });
    expect(readJsonBody(httpEvent({ body: Buffer.from('{"é":1}').toString('base64'), isBase64Encoded: true }), 100)).toEqual({ é: 1 });
  });

  it('counts the limit in bytes, not characters', () => {
    const body = JSON.stringify({ t: 'é'.repeat(5) });
    expect(readJsonBody(httpEvent({ body }), Buffer.byteLength(body))).toEqual({ t: 'ééééé' });
    expect(() => readJsonBody(httpEvent({ body }), body.length)).toThrow(
      expect.objectContaining({ statusCode: 413, code: 'PayloadTooLarge', message: `request body is ${Buffer.byteLength(body)} bytes; the limit is ${body.length}` }),
    );
  });

  it('rejects malformed JSON with 400', () => {
    expect(() => readJsonBody(httpEvent({ body: '{"a":' }), 100)).toThrow(expect.objectContaining({ statusCode: 400, code: 'MalformedJson' }));
  });
});
