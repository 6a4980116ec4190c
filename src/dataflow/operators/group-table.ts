/**
 * GroupTable: a reduce's groups (operators/reduce.ts), found from an input row by its group
 * key columns. Groups are keyed by a hash of those columns (row-hash.ts `columnsHash`, every
 * character of a string counted) instead of their columnsKey string: finding the group of a
 * change builds no string and hashes no fresh one, which was most of a reduce's cost per
 * change. Groups whose hashes collide are chained through `next` and told apart by
 * `datumKeysEqual` on each key column, which is rowKey equality (NULLs equal, 1.0 = 1.00,
 * -0 = 0, one NaN), so two rows fall in the same group exactly when their columnsKeys are equal,
 * as before.
 *
 * State: one entry per group (the groups themselves; reduce.ts says what they hold).
 */
import type { Row } from '../../types/datum.js';
import { datumKeysEqual } from '../../types/row-key.js';
import { columnsHash } from '../row-hash.js';

export interface GroupEntry<G> {
  /** The group key columns' values, in group key order. */
  keyRow: Row;
  /** `columnsHash(keyRow, null)`. */
  hash: number;
  /** The next group with the same hash. */
  next: G | null;
}

export class GroupTable<G extends GroupEntry<G>> {
  readonly #heads = new Map<number, G>();

  /**
   * The group of `row`'s columns `cols` (the whole row when null), if any; `hash` is
   * `columnsHash(row, cols)`.
   */
  find(row: Row, cols: readonly number[] | null, hash: number): G | undefined {
    for (let g: G | null = this.#heads.get(hash) ?? null; g !== null; g = g.next) {
      const key = g.keyRow;
      let equal = true;
      for (let k = 0; k < key.length; k++) {
        if (!datumKeysEqual(key[k]!, row[cols === null ? k : cols[k]!]!)) {
          equal = false;
          break;
        }
      }
      if (equal) return g;
    }
    return undefined;
  }

  /** Adds a group whose key is not in the table. */
  add(g: G): void {
    g.next = this.#heads.get(g.hash) ?? null;
    this.#heads.set(g.hash, g);
  }

  /** Removes `g` (a no-op when it is not in the table). */
  delete(g: G): void {
    const head = this.#heads.get(g.hash);
    if (head === g) {
      if (g.next === null) this.#heads.delete(g.hash);
      else this.#heads.set(g.hash, g.next);
    } else {
      let p = head ?? null;
      while (p !== null && p.next !== g) p = p.next;
      if (p === null) return;
      p.next = g.next;
    }
    g.next = null;
  }

  /** Calls `visit` with every group. `visit` may delete the group it is given. */
  forEach(visit: (g: G) => void): void {
    // A Map's iteration tolerates its entries being deleted or given a new value.
    for (const head of this.#heads.values()) {
      for (let g: G | null = head; g !== null; ) {
        const next: G | null = g.next;
        visit(g);
        g = next;
      }
    }
  }
}
