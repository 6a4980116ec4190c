// encodeStateValue must write exactly encodeRow's bytes (state written by either is read by
// decodeRow, and values stored before it existed stay readable): compared over every kind of datum.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeStateValue } from '../../src/dataflow/state-value.js';
import { decodeRow, encodeRow } from '../../src/types/value-codec.js';
import { Numeric } from '../../src/types/numeric.js';
import type { Datum } from '../../src/types/datum.js';
import { anyDatum } from '../types/arbitraries.js';

const edges: Datum[] = [
  null, true, false, 0, -0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, NaN, Infinity, -Infinity,
  0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, -(2n ** 63n) - 1n, 10n ** 40n,
  '', 'a', 'x'.repeat(127), 'x'.repeat(128), 'é', 'abcé', 'a\u0000b', '\u{10000}',
  new Numeric(15n, 1), new Uint8Array([0, 255]), [], [1, [2n, null]], ['ab', 'é'],
];

describe('encodeStateValue', () => {
  test('the bytes of encodeRow at the edges of each fast path', () => {
    for (const d of edges) {
      expect(encodeStateValue([d])).toEqual(encodeRow([d]));
      expect(encodeStateValue([[d], 7, [d, d]])).toEqual(encodeRow([[d], 7, [d, d]]));
    }
    const long = Array.from({ length: 300 }, (_, i) => i * 1000);
    expect(encodeStateValue(long)).toEqual(encodeRow(long));
    expect(encodeStateValue([long, long, long, 'x'.repeat(2000)])).toEqual(encodeRow([long, long, long, 'x'.repeat(2000)]));
  });

  test('the bytes of encodeRow for any row of any datums, and decodeRow reads them back', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyDatum, fc.array(anyDatum, { maxLength: 4 })), { maxLength: 6 }), (row) => {
        const bytes = encodeStateValue(row);
        expect(bytes).toEqual(encodeRow(row));
        expect(encodeRow(decodeRow(bytes))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  test('a result is a copy: the next call does not change it', () => {
    const a = encodeStateValue([1, 2n, 'x']);
    const before = Uint8Array.from(a);
    encodeStateValue([99, 'yyyy', [3]]);
    expect(a).toEqual(before);
  });
});
