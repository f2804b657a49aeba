import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, readRequestJson, RequestJsonError } from './request-json';

const read = (text: string | Buffer) => readRequestJson(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));

function problemOf(text: string | Buffer): { problem: string; message: string } | undefined {
  try {
    read(text);
    return undefined;
  } catch (error) {
    if (error instanceof RequestJsonError) return { problem: error.problem, message: error.message };
    throw error;
  }
}

const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('readRequestJson', () => {
  it('reads any JSON a client writes with JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        const text = JSON.stringify(value);
        fc.pre(!text.includes('"__proto__"'));
        expect(read(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('skips a leading byte order mark', () => {
    expect(read('\ufeff{"a":1}')).toEqual({ a: 1 });
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x22, 0xc3, 0x28, 0x22]), 'InvalidEncoding', 'request body is not valid UTF-8 text'],
    ['an encoded lone surrogate (CESU-8)', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 'InvalidEncoding', 'request body is not valid UTF-8 text'],
    ['a syntax error', '{"a":}', 'MalformedJson', /^request body is not valid JSON: /],
    ['nesting one level too deep', nestedArrays(MAX_JSON_DEPTH + 1), 'TooDeeplyNested', 'request body nests arrays and objects 101 levels deep; the limit is 100'],
    ['nesting far too deep for any stack', nestedArrays(100_000), 'TooDeeplyNested', /100000 levels deep/],
    ['"__proto__" keys, wherever they are', '{"__proto__":1,"a":[{"b":{"__proto__":{}}}]}', 'ReservedKey', '__proto__: the key "__proto__" is not accepted; a.0.b.__proto__: the key "__proto__" is not accepted'],
    ['a number no double holds', '{"n":[1,2e308]}', 'InexactNumber', /^n\.1: 2e308 is beyond the largest number/],
  ])('refuses %s', (_case, text, problem, message) => {
    expect(problemOf(text)).toEqual({ problem, message: typeof message === 'string' ? message : expect.stringMatching(message) });
  });

  it.each([
    ['nesting exactly at the limit', nestedArrays(MAX_JSON_DEPTH)],
    ['brackets inside strings, escaped quotes among them', `{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`],
    ['"__proto__" as a value', '{"key":"__proto__"}'],
  ])('accepts %s', (_case, text) => {
    expect(problemOf(text)).toBeUndefined();
  });
});
