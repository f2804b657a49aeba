import { createRequire } from 'node:module';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemBytes, MAX_ITEM_BYTES } from './item-size';

// dynalite, the local DynamoDB, sizes items too: a second implementation to check against. It counts a
// string's UTF-16 code units where DynamoDB counts UTF-8 bytes, so the comparison holds for ASCII text.
const dynalite = createRequire(import.meta.url)('dynalite/db/index.js') as { itemSize(item: unknown): number };

/** Attribute names (the SDK's marshall drops a `__proto__` key). */
const name = fc.string({ unit: 'binary-ascii', minLength: 1 }).filter((key) => key !== '__proto__');
/** JSON-like values without numbers (whose size DynamoDB documents only approximately), ASCII text only. */
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary-ascii' }), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(name, tie('value'), { maxKeys: 4 }),
}));

describe('itemBytes', () => {
  it('is the limit DynamoDB documents: 400 KB', () => {
    expect(MAX_ITEM_BYTES).toBe(409_600);
  });

  it('sizes any item of text, booleans, nulls, lists and maps as dynalite does', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value.value, { minKeys: 1 }), (item) => {
        // A key named `constructor` makes a plain object look like a class instance to the SDK's marshall.
        expect(itemBytes(item)).toBe(dynalite.itemSize(marshall(item, { convertClassInstanceToMap: true })));
      }),
    );
  });

  it.each([
    ['a string counts its UTF-8 bytes and its name', { name: 'été' }, 4 + 5],
    ['a number counts one byte per two significant digits, plus one', { n: 123.45 }, 1 + 4],
    ['leading and trailing zeros do not count', { n: 0.00012 }, 1 + 2],
    ['an exponent does not count', { n: 1.5e300 }, 1 + 2],
    ['a boolean and a null are 1 byte', { b: true, z: null }, 2 + 2],
    ['a list is 3 bytes, plus 1 and the size of each element', { l: ['ab', false] }, 1 + 3 + (1 + 2) + (1 + 1)],
    ['a map is 3 bytes, plus 1, the name and the size of each entry', { m: { k: 'v' } }, 1 + 3 + (1 + 1 + 1)],
    ['an undefined attribute is not written', { a: 'x', gone: undefined }, 2],
  ])('%s', (_case, item, bytes) => {
    expect(itemBytes(item)).toBe(bytes);
  });
});
