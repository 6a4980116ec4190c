import { describe, expect, test } from 'vitest';
import { entryHash, JoinBucket, type JoinEntry } from '../../../src/dataflow/operators/join-bucket.js';
import { Numeric } from '../../../src/types/numeric.js';
import type { Row } from '../../../src/types/datum.js';

const entry = (row: Row, hash = entryHash(row)): JoinEntry => ({ row, hash, key: 'k', diff: 1, matches: 0, left: true, persisted: false, next: null });

function rows(b: JoinBucket): Row[] {
  const out: Row[] = [];
  for (const head of b.heads()) for (let e: JoinEntry | null = head; e !== null; e = e.next) out.push(e.row);
  return out.sort((x, y) => (x[0] as number) - (y[0] as number));
}

describe('join bucket', () => {
  test('finds an entry by its row under rowKey equality (1.0 = 1.00, -0 = 0, NULL = NULL)', () => {
    const b = new JoinBucket('k');
    const e = entry([new Numeric(10n, 1), -0, null]);
    b.add(e);
    const same: Row = [new Numeric(100n, 2), 0, null];
    expect(b.find(same, entryHash(same))).toBe(e);
    const other: Row = [new Numeric(101n, 2), 0, null];
    expect(b.find(other, entryHash(other))).toBeUndefined();
  });

  test('rows with colliding hashes are chained and told apart; removing any of them keeps the others', () => {
    const b = new JoinBucket('k');
    const [a, c, d] = [entry([1], 7), entry([2], 7), entry([3], 7)];
    for (const e of [a, c, d]) b.add(e);
    expect(b.size).toBe(3);
    expect(b.find([2], 7)).toBe(c);
    expect(b.find([4], 7)).toBeUndefined();
    expect(b.remove(c)).toBe(true); // in the middle of the chain
    expect(b.remove(c)).toBe(false);
    expect(rows(b)).toEqual([[1], [3]]);
    expect(b.remove(d)).toBe(true); // the head
    expect(rows(b)).toEqual([[1]]);
    expect(b.first()).toBe(a);
    expect(b.remove(a)).toBe(true);
    expect(b.size).toBe(0);
    expect(b.first()).toBeUndefined();
  });

  test('entries may be removed while the bucket is being walked', () => {
    const b = new JoinBucket('k');
    for (let i = 0; i < 20; i++) b.add(entry([i], i % 3));
    for (const head of b.heads()) {
      for (let e: JoinEntry | null = head, next: JoinEntry | null; e !== null; e = next) {
        next = e.next;
        if ((e.row[0] as number) % 2 === 0) b.remove(e);
      }
    }
    expect(rows(b)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19].map((i) => [i]));
    expect(b.size).toBe(10);
  });
});
