// consolidate against its definition: rows equal under rowKey summed, zeros dropped, order of
// first appearance; and rowHash agreeing with rowKey equality (1.0 = 1.00, -0 = 0, NaN = NaN).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { consolidate, type Change } from '../../src/dataflow/zset.js';
import { datumHash, rowHash } from '../../src/dataflow/row-hash.js';
import { Numeric } from '../../src/types/numeric.js';
import type { Datum, Row } from '../../src/types/datum.js';
import { rowKey } from '../../src/types/row-key.js';
import { anyDatum, families } from '../types/arbitraries.js';

/** The definition, with string keys. */
function reference(changes: Change[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const [row, diff] of changes) sums.set(rowKey(row), (sums.get(rowKey(row)) ?? 0) + diff);
  return [...sums].filter(([, d]) => d !== 0);
}

const keyed = (changes: Change[]): [string, number][] => changes.map(([r, d]) => [rowKey(r), d]);

// Few distinct values per column, so equal rows (and cancelling diffs) are common.
const small = fc.constantFrom<Datum>(null, 0, -0, 1, 1.5, NaN, 0n, 1n, 'a', 'b', 'x'.repeat(40), 'x'.repeat(39) + 'y', true, new Numeric(10n, 1), new Numeric(100n, 2), new Numeric(15n, 1));
const changes = (datum: fc.Arbitrary<Datum>) =>
  fc.array(fc.tuple(fc.array(datum, { minLength: 2, maxLength: 2 }), fc.integer({ min: -2, max: 2 })).map(([r, d]): Change => [r as Row, d]), { maxLength: 60 });

describe('consolidate', () => {
  test('sums rows equal under rowKey, drops zeros, keeps first-appearance order', () => {
    fc.assert(fc.property(changes(small), (cs) => {
          expect(keyed(consolidate(cs))).toEqual(reference(cs));
        }), { numRuns: 500 });
  });

  test('the same over any datums', () => {
    fc.assert(fc.property(changes(anyDatum), (cs) => {
          expect(keyed(consolidate(cs))).toEqual(reference(cs));
        }), { numRuns: 300 });
  });

  test('never mutates its input; a consolidated batch comes back as it is', () => {
    const a: Change = [[1, 'a'], 1];
    const b: Change = [[1, 'a'], 2];
    const input = [a, b];
    const out = consolidate(input);
    expect(out).toEqual([[[1, 'a'], 3]]);
    expect(input).toEqual([[[1, 'a'], 1], [[1, 'a'], 2]]);
    const done: Change[] = [[[1n], 1], [[2n], -1]];
    expect(consolidate(done)).toBe(done);
    expect(consolidate([[[1], 0], [[2], 1]])).toEqual([[[2], 1]]);
  });
});

describe('rowHash', () => {
  test('equal rowKeys give equal hashes', () => {
    expect(datumHash(new Numeric(10n, 1))).toBe(datumHash(new Numeric(1000n, 3)));
    expect(datumHash(-0)).toBe(datumHash(0));
    expect(datumHash(NaN)).toBe(datumHash(-NaN));
    for (const f of families) {
      fc.assert(
        fc.property(fc.array(f.arb, { minLength: 2, maxLength: 2 }), fc.array(f.arb, { minLength: 2, maxLength: 2 }), (x, y) => {
          if (rowKey(x) === rowKey(y)) expect(rowHash(x)).toBe(rowHash(y));
        }),
        { numRuns: 200 },
      );
    }
  });
});
