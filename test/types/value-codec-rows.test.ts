import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRow, decodeRows, encodeRow, encodeRowAfter, encodeRowsAfter } from '../../src/types/value-codec.js';
import { anyDatum } from './arbitraries.js';

describe('many rows in one value (encodeRowsAfter / decodeRows)', () => {
  it('round-trips a list of rows, each with the leading datum', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anyDatum, { maxLength: 6 }), { maxLength: 12 }), (rows) => {
        const back = decodeRows(encodeRowsAfter(1, rows));
        expect(back).toEqual(rows.map((r) => [1, ...r]));
      }),
      { numRuns: 500 },
    );
  });

  it('is the concatenation of encodeRowAfter, so one stored row reads as a list of one', () => {
    const rows = [[1n, 'a', null], [2.5, 'b', true]];
    const one = encodeRowAfter(1, rows[0]!);
    expect(decodeRows(one)).toEqual([decodeRow(one)]);
    const both = encodeRowsAfter(1, rows);
    expect(Buffer.from(both)).toEqual(Buffer.concat([one, encodeRowAfter(1, rows[1]!)]));
    expect(decodeRows(encodeRow([7, 'x']))).toEqual([[7, 'x']]);
    expect(decodeRows(encodeRowsAfter(1, []))).toEqual([]);
  });

  it('refuses a truncated value', () => {
    const v = encodeRowsAfter(1, [['abcdefghijklmnop'], ['q']]);
    expect(() => decodeRows(v.subarray(0, v.length - 3))).toThrow(/truncated/);
  });
});
