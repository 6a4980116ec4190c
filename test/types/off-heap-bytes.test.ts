import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { offHeapCopy } from '../../src/types/off-heap-bytes.js';
import { encodeKeyAfter, encodeKeyAfterOffHeap } from '../../src/types/key-codec.js';
import { decodeRow, encodeRowAfter, encodeRowAfterOffHeap } from '../../src/types/value-codec.js';
import { anyDatum } from './arbitraries.js';

describe('offHeapCopy', () => {
  it('returns copies that never change afterwards, across slabs and for large strings', () => {
    const made: [Uint8Array, number[]][] = [];
    const src = new Uint8Array(40_000);
    for (let i = 0; i < 3000; i++) {
      // Mostly small strings, now and then one larger than a quarter slab.
      const n = i % 500 === 499 ? 20_000 + i : i % 97;
      for (let j = 0; j < n; j++) src[j] = (i * 31 + j) & 0xff;
      const copy = offHeapCopy(src, n);
      made.push([copy, Array.from(src.subarray(0, n))]);
    }
    src.fill(7); // the source may be reused at once
    for (const [copy, want] of made) {
      expect(copy.length).toBe(want.length);
      expect(Array.from(copy)).toEqual(want);
    }
  });

  it('copies only the first n bytes', () => {
    const c = offHeapCopy(new Uint8Array([1, 2, 3, 4]), 2);
    expect(Array.from(c)).toEqual([1, 2]);
  });
});

describe('the off-heap encoders', () => {
  it('encodeKeyAfterOffHeap and encodeRowAfterOffHeap give the same bytes as encodeKeyAfter and encodeRowAfter', () => {
    const prefix = new TextEncoder().encode('t/12/');
    fc.assert(
      fc.property(fc.array(anyDatum, { minLength: 1, maxLength: 5 }), (row) => {
        const cols = [row.length - 1, 0];
        // Both agree, also in refusing what keys cannot hold (an int8 out of range).
        const key = (f: typeof encodeKeyAfter, c?: number[]): number[] | string => {
          try {
            return Array.from(f(prefix, row, c));
          } catch (e) {
            return String(e);
          }
        };
        expect(key(encodeKeyAfterOffHeap, cols)).toEqual(key(encodeKeyAfter, cols));
        expect(key(encodeKeyAfterOffHeap)).toEqual(key(encodeKeyAfter));
        const value = encodeRowAfterOffHeap(1, row);
        expect(Array.from(value)).toEqual(Array.from(encodeRowAfter(1, row)));
        expect(decodeRow(value)[0]).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
