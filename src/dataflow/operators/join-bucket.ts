/**
 * JoinBucket: the entries of one join key in a join's arrangement (operators/join.ts), found by
 * their row. Entries are keyed by a hash of the row (row-hash.ts) instead of its rowKey string:
 * finding or adding an entry builds no string, and an entry holds no key string for the garbage
 * collector to mark. Rows whose hashes collide are chained through `next` and told apart by
 * `rowKeysEqual` (rowKey equality: NULLs equal, 1.0 = 1.00, -0 = 0).
 *
 * State: one entry per distinct row of the key (the arrangement's state; join.ts persists it).
 *
 * Iterating: `for (const head of bucket.heads()) for (let e = head; e !== null; e = e.next)`.
 * Removing the entry being visited is allowed (read its `next` first).
 */
import type { Row } from '../../types/datum.js';
import { rowKeysEqual } from '../../types/row-key.js';
import { rowHash } from '../row-hash.js';

export interface JoinEntry {
  row: Row;
  /** `entryHash(row)`. */
  hash: number;
  /** The join key (shared with the bucket's). */
  key: string;
  diff: number;
  matches: number;
  left: boolean;
  /** Whether the state store holds this entry (so removing it needs a del). */
  persisted: boolean;
  /** The next entry of the bucket with the same hash. */
  next: JoinEntry | null;
}

/** A row's hash as a small integer (a V8 Smi: no heap number in the entry or the map). */
export function entryHash(row: Row): number {
  return rowHash(row) & 0x3fffffff;
}

export class JoinBucket {
  readonly #heads = new Map<number, JoinEntry>();
  #size = 0;

  /** The key string made for the first entry; the bucket's entries share it. */
  constructor(readonly key: string) {}

  get size(): number {
    return this.#size;
  }

  heads(): IterableIterator<JoinEntry> {
    return this.#heads.values();
  }

  /** Any one entry (the first added that is still here, for a bucket that never collided). */
  first(): JoinEntry | undefined {
    return this.#heads.values().next().value;
  }

  /** The entry of `row` (whose `entryHash` is `hash`), if any. */
  find(row: Row, hash: number): JoinEntry | undefined {
    for (let e = this.#heads.get(hash) ?? null; e !== null; e = e.next) if (rowKeysEqual(e.row, row)) return e;
    return undefined;
  }

  /** Adds an entry whose row is not in the bucket. */
  add(e: JoinEntry): void {
    e.next = this.#heads.get(e.hash) ?? null;
    this.#heads.set(e.hash, e);
    this.#size++;
  }

  /** Removes `e`; false when it is not in the bucket. */
  remove(e: JoinEntry): boolean {
    const head = this.#heads.get(e.hash);
    if (head === e) {
      if (e.next === null) this.#heads.delete(e.hash);
      else this.#heads.set(e.hash, e.next);
    } else {
      let p = head ?? null;
      while (p !== null && p.next !== e) p = p.next;
      if (p === null) return false;
      p.next = e.next;
    }
    this.#size--;
    return true;
  }
}
