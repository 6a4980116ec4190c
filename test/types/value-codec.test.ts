import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRow, encodeRow } from '../../src/types/value-codec.js';
import { Interval, Jsonb, Record, type Row } from '../../src/types/datum.js';
import { Numeric } from '../../src/types/numeric.js';
import { anyDatum } from './arbitraries.js';

describe('value codec', () => {
  it('round-trips every datum exactly', () => {
    fc.assert(
      fc.property(fc.array(anyDatum, { maxLength: 8 }), (row) => {
        expect(decodeRow(encodeRow(row))).toStrictEqual(row);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps numeric scale, -0, NaN, and nested values', () => {
    const row: Row = [
      new Numeric(1050n, 2), new Numeric(-(10n ** 40n), 3), Numeric.NAN, Numeric.NEG_INFINITY, -0, NaN, 2 ** 40, -(2 ** 31), 2 ** 31 - 1,
      9007199254740993n, 10n ** 30n, 'x'.repeat(200), 'é'.repeat(100), '', new Uint8Array(0), new Interval(-1, 2, 3.5e12),
      new Jsonb({ a: [1, { b: null }] }), new Record([[1, [2, null]], null]), [], null, true, false,
    ];
    const out = decodeRow(encodeRow(row));
    expect(out).toStrictEqual(row);
    expect(Object.is(out[4], -0)).toBe(true);
    expect((out[0] as Numeric).toString()).toBe('10.50');
  });

  it('is compact for small ints and short strings', () => {
    expect(encodeRow([1, 'ab', null, true]).length).toBe(1 + 2 + 4 + 1 + 1);
  });

  it('survives a strings whose UTF-8 passes 127 bytes within a short string', () => {
    const s = '€'.repeat(60);
    expect(decodeRow(encodeRow([s, 1]))).toEqual([s, 1]);
  });

  it('decodes a million-row workload quickly', () => {
    const row: Row = [123, 'some text value', 9876543210n, new Numeric(12345n, 2), 1.5, null, true];
    const start = performance.now();
    let total = 0;
    for (let i = 0; i < 200_000; i++) total += decodeRow(encodeRow(row)).length;
    const ms = performance.now() - start;
    expect(total).toBe(7 * 200_000);
    expect(ms).toBeLessThan(3000);
  });
});
