/**
 * The size of a DynamoDB item as DynamoDB counts it against its 400 KB item limit, for items of plain
 * JSON values as the document client writes them (strings, numbers, booleans, null, lists, maps). Written by
 * hand after DynamoDB's documented rules ("Item sizes and formats"): the one npm package for it
 * (dyno-item-size) leaves out the byte each list or map element costs, and has not changed in years.
 */

/** DynamoDB's item limit: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** Bytes of an item: for each attribute, its name's UTF-8 bytes plus its value's size. */
export function itemBytes(item: object): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) bytes += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value === 'boolean' || value === null) return 1;
  // A list or a map: 3 bytes, plus 1 byte and the size of each element (and a map's keys, as names).
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element: unknown) => sum + 1 + valueBytes(element), 0);
  if (typeof value === 'object') return 3 + Object.keys(value).length + itemBytes(value);
  throw new TypeError(`no size for a ${typeof value} in a DynamoDB item`);
}

/** About 1 byte per two significant digits, plus 1 byte. */
function numberBytes(value: number): number {
  const digits = String(Math.abs(value)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
