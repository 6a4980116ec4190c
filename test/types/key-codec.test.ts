import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeKey, encodeKey, prefixEnd } from '../../src/types/key-codec.js';
import { compareNullable } from '../../src/types/compare.js';
import { Interval, Jsonb, Record, type Datum } from '../../src/types/datum.js';
import { Numeric } from '../../src/types/numeric.js';
import { families } from './arbitraries.js';

function compareTuples(a: Datum[], b: Datum[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareNullable(a[i]!, b[i]!, false);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);

describe('encodeKey order', () => {
  for (const { name, arb } of families) {
    it(`bytewise order equals SQL order: ${name}`, () => {
      fc.assert(
        fc.property(fc.tuple(arb, arb), fc.tuple(arb, arb), (a, b) => {
          const want = sign(compareTuples(a, b));
          const got = sign(Buffer.compare(encodeKey(a), encodeKey(b)));
          // Equal SQL values may differ only in tie-breakers kept for exact decoding (interval, never others).
          if (want === 0 && name !== 'interval') expect(got).toBe(0);
          else if (want !== 0) expect(got).toBe(want);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('sorting by encoding sorts a mixed-width list like compareDatums', () => {
    const arb = fc.tuple(fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }), fc.option(fc.constantFrom('a', 'b', ''), { nil: null }));
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 30 }), (rows) => {
        const bySql = [...rows].sort(compareTuples);
        const byBytes = [...rows].sort((x, y) => Buffer.compare(encodeKey(x), encodeKey(y)));
        expect(byBytes.map((r) => JSON.stringify(r))).toEqual(bySql.map((r) => JSON.stringify(r)));
      }),
    );
  });
});

describe('decodeKey', () => {
  it('round-trips canonical values', () => {
    const tuple: Datum[] = [
      1.5, -0.25, 7n, 'héllo\u0000x', new Uint8Array([0, 1, 255]), true, false, null, Numeric.parse('-12.340'), Numeric.parse('1e5'),
      Numeric.NAN, new Interval(1, 2, 3), new Jsonb({ a: [1, 'x', null], b: true }), [1, null, [2]], new Record([1, 'a', null]),
    ];
    const out = decodeKey(encodeKey(tuple));
    expect(out).toEqual([
      1.5, -0.25, 7n, 'héllo\u0000x', new Uint8Array([0, 1, 255]), true, false, null, new Numeric(-1234n, 2), new Numeric(100000n, 0),
      Numeric.NAN, new Interval(1, 2, 3), new Jsonb({ a: [1, 'x', null], b: true }), [1, null, [2]], new Record([1, 'a', null]),
    ]);
  });

  it('equal numerics encode the same and decode normalized', () => {
    expect(encodeKey([Numeric.parse('1.0')])).toEqual(encodeKey([Numeric.parse('1.00')]));
    expect(encodeKey([Numeric.parse('100')])).toEqual(encodeKey([Numeric.parse('1e2')]));
    expect(decodeKey(encodeKey([Numeric.parse('1.500')]))).toEqual([new Numeric(15n, 1)]);
    expect(decodeKey(encodeKey([-0]))).toEqual([0]);
  });

  it('decodes numbers as numbers and bigints as bigints', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (x, y) => {
        expect(decodeKey(encodeKey([x, y]))).toEqual([x + 0, y]);
      }),
    );
  });
});

describe('prefixes', () => {
  it('a prefix tuple encodes to a byte prefix, inside [prefix, prefixEnd(prefix))', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (t, k) => {
        const whole = encodeKey(t);
        const pre = encodeKey(t.slice(0, k));
        expect(Buffer.compare(whole.subarray(0, pre.length), pre)).toBe(0);
        const end = prefixEnd(pre);
        if (end) expect(Buffer.compare(whole, end)).toBeLessThan(0);
      }),
    );
  });

  it('prefixEnd increments the last byte below 0xff', () => {
    expect(prefixEnd(new Uint8Array([1, 2, 255]))).toEqual(new Uint8Array([1, 3]));
    expect(prefixEnd(new Uint8Array([255]))).toBeUndefined();
    expect(prefixEnd(new Uint8Array([]))).toBeUndefined();
  });

  it('a string key is not a prefix-range match for a longer string', () => {
    const a = encodeKey(['ab']);
    const b = encodeKey(['abc', 1]);
    const end = prefixEnd(a)!;
    expect(Buffer.compare(b, a) > 0 && Buffer.compare(b, end) < 0).toBe(false);
  });
});
