import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareDatums, compareNullable, datumsEqual } from '../../src/types/compare.js';
import { Interval, Jsonb, Record, type Datum } from '../../src/types/datum.js';
import { Numeric } from '../../src/types/numeric.js';
import { families } from './arbitraries.js';

const sorted = (xs: Datum[]): Datum[] => [...xs].sort(compareDatums);

describe('compareDatums', () => {
  it('floats: NaN is greatest, -0 = 0', () => {
    expect(sorted([NaN, Infinity, -Infinity, 1, -0, -1])).toEqual([-Infinity, -1, -0, 1, Infinity, NaN]);
    expect(compareDatums(NaN, NaN)).toBe(0);
    expect(compareDatums(0, -0)).toBe(0);
  });

  it('strings by code point ("C" collation)', () => {
    expect(sorted(['b', 'B', 'a', 'ab', '', '\u{1F600}', '\uffff'])).toEqual(['', 'B', 'a', 'ab', 'b', '\uffff', '\u{1F600}']);
  });

  it('numeric by value, scale ignored', () => {
    expect(compareDatums(Numeric.parse('1.0'), Numeric.parse('1.00'))).toBe(0);
    expect(sorted([Numeric.NAN, Numeric.parse('2'), Numeric.NEG_INFINITY, Numeric.parse('-10.5')]).map(String)).toEqual(['-Infinity', '-10.5', '2', 'NaN']);
  });

  it('bytea bytewise, booleans false < true, bigint numerically', () => {
    expect(compareDatums(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(-1);
    expect(compareDatums(new Uint8Array([2]), new Uint8Array([1, 255]))).toBe(1);
    expect(compareDatums(false, true)).toBe(-1);
    expect(compareDatums(-(2n ** 63n), 5n)).toBe(-1);
  });

  it('intervals by total span (30-day months)', () => {
    expect(compareDatums(new Interval(1, 0, 0), new Interval(0, 30, 0))).toBe(0);
    expect(compareDatums(new Interval(0, 1, 0), new Interval(0, 0, 86_400_000_001))).toBe(-1);
    expect(compareDatums(new Interval(1_000_000, 0, 0), new Interval(999_999, 31, 0))).toBe(-1);
  });

  it('jsonb: object > array > boolean > number > string > null', () => {
    const vals = [new Jsonb({}), new Jsonb([]), new Jsonb(true), new Jsonb(1), new Jsonb('a'), new Jsonb(null)];
    expect(sorted(vals)).toEqual([...vals].reverse());
    expect(compareDatums(new Jsonb([1, 2]), new Jsonb([3]))).toBe(1);
    expect(compareDatums(new Jsonb({ b: 1 }), new Jsonb({ a: 1, b: 0 }))).toBe(-1);
    expect(compareDatums(new Jsonb({ a: 1 }), new Jsonb({ a: 2 }))).toBe(-1);
  });

  it('arrays elementwise (NULL last), then shorter first; records fieldwise', () => {
    expect(compareDatums([1, 2], [1, 2, 0])).toBe(-1);
    expect(compareDatums([1, null], [1, 5])).toBe(1);
    expect(compareDatums([2], [1, 9])).toBe(1);
    expect(compareDatums(new Record([1, 'b']), new Record([1, 'a']))).toBe(1);
    expect(compareDatums(new Record([null, 'a']), new Record([1, 'a']))).toBe(1);
  });

  it('is a total order (antisymmetric, transitive) on every family', () => {
    for (const { arb } of families) {
      fc.assert(
        fc.property(arb, arb, arb, (a, b, c) => {
          const ab = compareNullable(a, b, false);
          expect(Math.sign(compareNullable(b, a, false))).toBe(-Math.sign(ab) + 0);
          if (ab <= 0 && compareNullable(b, c, false) <= 0) expect(compareNullable(a, c, false)).toBeLessThanOrEqual(0);
        }),
        { numRuns: 100 },
      );
    }
  });
});

describe('compareNullable and datumsEqual', () => {
  it('places NULL first or last', () => {
    expect(compareNullable(null, 1, true)).toBe(-1);
    expect(compareNullable(null, 1, false)).toBe(1);
    expect(compareNullable(null, null, false)).toBe(0);
    expect(compareNullable(1, null, true)).toBe(1);
  });

  it('treats NULLs, NaNs and scales as equal for grouping', () => {
    expect(datumsEqual(null, null)).toBe(true);
    expect(datumsEqual(null, 0)).toBe(false);
    expect(datumsEqual(NaN, NaN)).toBe(true);
    expect(datumsEqual(Numeric.parse('1.0'), Numeric.parse('1'))).toBe(true);
    expect(datumsEqual([1, 'a'], [1, 'a'])).toBe(true);
    expect(datumsEqual('a', 'b')).toBe(false);
  });
});
