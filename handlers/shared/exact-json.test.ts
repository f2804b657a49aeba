import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InexactNumberError, parseExactJson } from './exact-json';

function inexactNumbersOf(text: string) {
  try {
    parseExactJson(text);
    return [];
  } catch (error) {
    if (error instanceof InexactNumberError) return error.numbers;
    throw error;
  }
}

describe('parseExactJson', () => {
  it('reads any JSON whose numbers JavaScript wrote exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseExactJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('reads every finite double exactly, however it is written', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        // `+ 0` because JSON has no negative zero: -0 is written 0.
        expect(parseExactJson(String(value))).toBe(value + 0);
        expect(parseExactJson(value.toExponential())).toBe(value + 0);
      }),
    );
  });

  it('refuses exactly the integers whose double prints as another integer', () => {
    // Below 1e21 a double prints without an exponent, so BigInt can read what it prints.
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 69n), max: 2n ** 69n }), (integer) => {
        const printsAsItself = BigInt(String(Number(integer))) === integer;
        expect(inexactNumbersOf(integer.toString()).length === 0).toBe(printsAsItself);
      }),
    );
    expect(inexactNumbersOf(String(2n ** 53n + 1n))).toHaveLength(1);
  });

  it.each([
    ['{"n":1.0,"m":-0,"e":1E2,"z":0e5}', { n: 1, m: -0, e: 100, z: 0 }],
    ['[9007199254740992, 1e300, 5e-324, 1.7976931348623157e308, 0.1, 123456789.12345678]', [2 ** 53, 1e300, 5e-324, Number.MAX_VALUE, 0.1, 123456789.12345678]],
  ])('accepts %s', (text, value) => {
    expect(parseExactJson(text)).toEqual(value);
  });

  it('names each inexact number by its path, what it would be read as, and the way out', () => {
    const text = '{"payload":{"numbers":[1,9007199254740993,{"deep":[1e400]}],"tiny":-1e-400,"long":0.10000000000000000001}}';

    expect(inexactNumbersOf(text)).toEqual([
      { path: 'payload.numbers.1', literal: '9007199254740993', readAs: 9007199254740992 },
      { path: 'payload.numbers.2.deep.0', literal: '1e400', readAs: Infinity },
      { path: 'payload.tiny', literal: '-1e-400', readAs: -0 },
      { path: 'payload.long', literal: '0.10000000000000000001', readAs: 0.1 },
    ]);
    expect(() => parseExactJson(text)).toThrow(
      /^payload\.numbers\.1: 9007199254740993 would be read as 9007199254740992: numbers are IEEE 754 doubles \(integers exact up to 2\^53, about 16 significant digits\); send it as a string to keep it exactly; payload\.numbers\.2\.deep\.0: 1e400 is beyond the largest number, about 1\.8e308: /,
    );
    expect(() => parseExactJson('-1e999')).toThrow(/^-1e999 is beyond the largest number/);
  });

  it('leaves syntax errors to JSON.parse', () => {
    expect(() => parseExactJson('{"a":')).toThrow(SyntaxError);
  });
});
