import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareKeyNumbers, keyNumber } from '../../src/adapter/numeric-key-bound.js';
import { encodeKeyAfter } from '../../src/types/key-codec.js';
import { keys } from '../../src/storage/key-layout.js';

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity));

describe('numeric key bounds', () => {
  it('compareKeyNumbers has the sign of comparing the encoded keys', () => {
    const prefix = keys.tablePrefix('42');
    fc.assert(
      fc.property(number, number, (a, b) => {
        const ka = encodeKeyAfter(prefix, [a]);
        const kb = encodeKeyAfter(prefix, [b]);
        expect(sign(compareKeyNumbers(a, b))).toBe(Buffer.compare(ka, kb));
      }),
      { numRuns: 1000 },
    );
  });

  it('keyNumber reads a one-number key back, and refuses other keys', () => {
    const prefix = keys.tablePrefix('42');
    fc.assert(
      fc.property(number, (a) => {
        const got = keyNumber(encodeKeyAfter(prefix, [a]), prefix);
        expect(compareKeyNumbers(got!, a)).toBe(0);
      }),
    );
    expect(keyNumber(encodeKeyAfter(prefix, ['7']), prefix)).toBeUndefined();
    expect(keyNumber(encodeKeyAfter(prefix, [7n]), prefix)).toBeUndefined();
    expect(keyNumber(encodeKeyAfter(prefix, [7, 8]), prefix)).toBeUndefined();
    expect(keyNumber(encodeKeyAfter(keys.tablePrefix('43'), [7]), prefix)).toBeUndefined();
    expect(keyNumber(prefix, prefix)).toBeUndefined();
    expect(keyNumber(new Uint8Array([...prefix, 0x20, 1]), prefix)).toBeUndefined();
  });
});
