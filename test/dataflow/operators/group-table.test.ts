import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GroupTable, type GroupEntry } from '../../../src/dataflow/operators/group-table.js';
import { columnsHash } from '../../../src/dataflow/row-hash.js';
import { Numeric } from '../../../src/types/numeric.js';
import type { Row } from '../../../src/types/datum.js';
import { columnsKey, rowKey } from '../../../src/types/row-key.js';
import { families } from '../../types/arbitraries.js';

interface G extends GroupEntry<G> {
  id: number;
}
const group = (keyRow: Row, id: number, hash = columnsHash(keyRow, null)): G => ({ keyRow, hash, next: null, id });

function all(t: GroupTable<G>): G[] {
  const out: G[] = [];
  t.forEach((g) => out.push(g));
  return out;
}

describe('group table', () => {
  test("finds a row's group by its key columns under rowKey equality (1.0 = 1.00, -0 = 0, NULL = NULL, NaN = NaN)", () => {
    const t = new GroupTable<G>();
    const g = group([new Numeric(10n, 1), -0, null, NaN], 1);
    t.add(g);
    const row: Row = ['other', NaN, new Numeric(100n, 2), 0, null];
    const cols = [2, 3, 4, 1];
    expect(t.find(row, cols, columnsHash(row, cols))).toBe(g);
    const other: Row = ['other', NaN, new Numeric(101n, 2), 0, null];
    expect(t.find(other, cols, columnsHash(other, cols))).toBeUndefined();
  });

  test('groups with colliding hashes are chained and told apart; deleting any keeps the others', () => {
    const t = new GroupTable<G>();
    const [a, b, c] = [group([1], 1, 7), group([2], 2, 7), group([3], 3, 7)];
    for (const g of [a, b, c]) t.add(g);
    expect(t.find([2], null, 7)).toBe(b);
    expect(t.find([4], null, 7)).toBeUndefined();
    t.delete(b); // in the middle of the chain
    t.delete(b); // not there any more: nothing happens
    expect(all(t).map((g) => g.id).sort()).toEqual([1, 3]);
    t.delete(c); // the head
    expect(all(t).map((g) => g.id)).toEqual([1]);
    t.delete(a);
    expect(all(t)).toEqual([]);
  });

  test('groups may be deleted while the table is being walked', () => {
    const t = new GroupTable<G>();
    for (let i = 0; i < 30; i++) t.add(group([i], i, i % 4));
    t.forEach((g) => {
      if (g.id % 2 === 0) t.delete(g);
    });
    expect(all(t).map((g) => g.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => 2 * i + 1));
    for (let i = 1; i < 30; i += 2) expect(t.find([i], null, i % 4)?.id).toBe(i);
  });
});

describe('columnsHash', () => {
  test('equal columnsKeys give equal hashes, whichever columns hold the key', () => {
    for (const f of families) {
      fc.assert(
        fc.property(fc.array(f.arb, { minLength: 1, maxLength: 3 }), fc.array(f.arb, { minLength: 1, maxLength: 3 }), (x, y) => {
          if (rowKey(x) === rowKey(y)) expect(columnsHash(x, null)).toBe(columnsHash(y, null));
          const wide = ['pad', ...x];
          const cols = x.map((_, i) => i + 1);
          expect(columnsHash(wide, cols)).toBe(columnsHash(x, null));
          expect(columnsKey(wide, cols)).toBe(rowKey(x));
        }),
        { numRuns: 100 },
      );
    }
  });

  test('a small non-negative integer; strings alike at both ends still spread', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const h = columnsHash([`https://example.com/items/${String(i).padStart(6, '0')}/index.html`], null);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 30).toBe(true);
      seen.add(h);
    }
    expect(seen.size).toBeGreaterThan(990);
  });
});
