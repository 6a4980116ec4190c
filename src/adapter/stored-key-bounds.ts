/**
 * StoredKeyBounds: per keyed table, an upper bound on the storage keys its stored rows have,
 * so that the primary-key check of an INSERT skips the LevelDB read for a key above it (such
 * a key cannot be stored). Keys that grow (serial ids, timestamps) then cost no read at all.
 *
 * Invariant: the bound is ≥ every key the table has in `store`. It is read from the store on
 * first use (the table's last key, one reverse seek) and raised by `note` with every key
 * about to be inserted, before its tick commits: a tick that then fails leaves the bound
 * higher than needed, which only costs reads, never a wrong answer. Deletes never lower it.
 * Only the store's latest state is answered (a snapshot may hold keys deleted since), and
 * only plain tables: rows of sources, stream tables and `_late` tables are stored by the
 * coordinator's ingest, which does not note them.
 *
 * State: one key per keyed table written since start (ids are never reused; a dropped table's
 * entry stays, a few bytes). Callers hold the coordinator's lock.
 */
import type { RelationItem } from '../catalog/catalog-item.js';
import { keys, prefixRange } from '../storage/key-layout.js';
import type { Bytes, KvReader, KvStore } from '../storage/kv-store.js';
import { compareBytes } from '../storage/compare-bytes.js';

export class StoredKeyBounds {
  readonly #bounds = new Map<string, Bytes | null>();

  constructor(readonly store: KvStore) {}

  /** Whether bounds answer for this table read through `reader`. */
  applies(table: RelationItem, reader: KvReader): boolean {
    return reader === this.store && table.kind === 'table' && table.stream === undefined && table.lateOf === undefined;
  }

  /** The table's bound: null when it has no stored row (and none noted). */
  async bound(tableId: string): Promise<Bytes | null> {
    const known = this.#bounds.get(tableId);
    if (known !== undefined) return known;
    let last: Bytes | null = null;
    for await (const chunk of this.store.scan({ ...prefixRange(keys.tablePrefix(tableId)), reverse: true, limit: 1 })) {
      if (chunk.length > 0) last = chunk[0]![0];
      break;
    }
    // Another call may have answered (and noted keys) while the seek ran: keep the higher.
    const other = this.#bounds.get(tableId);
    const bound = other === undefined || other === null ? last : last === null || compareBytes(other, last) > 0 ? other : last;
    this.#bounds.set(tableId, bound);
    return bound;
  }

  /**
   * Raises the table's bound to `key`, before the key's tick commits. Only once `bound` has
   * answered for the table: before that, the first `bound` reads the store, which by then
   * holds every key its ticks committed.
   */
  note(tableId: string, key: Bytes): void {
    const b = this.#bounds.get(tableId);
    if (b === undefined) return;
    if (b === null || compareBytes(key, b) > 0) this.#bounds.set(tableId, key);
  }
}

/** Whether `key` sorts above `bound` (so is not stored, by the invariant). */
export function aboveBound(key: Bytes, bound: Bytes | null): boolean {
  return bound === null || compareBytes(key, bound) > 0;
}
