/**
 * PendingWrites: the table changes gathered by a transaction (or by a batch's implicit
 * transaction) before they are committed as one tick. Appending is O(changes): the changes
 * are kept as a list and consolidated once, at commit. For keyed tables it also keeps the
 * net diff per primary key, so a statement that would leave two rows under one key among
 * the gathered changes fails at once (23505) without reading storage. Keys already in
 * storage are checked per statement inside an explicit transaction (errors where Postgres
 * reports them), and at commit for everything, in one read per table.
 *
 * A key whose net is +1 adds a row, so it must not be stored yet; a stored row that the
 * changes update or delete has its -1 in the net already (an UPDATE nets 0).
 *
 * Consolidation is skipped when it cannot merge anything: while every change of a keyed
 * table touches a key no earlier change touched (a batch of INSERTs), the changes are
 * pairwise distinct rows already. Once consolidated, the list is kept consolidated.
 */
import { consolidate, type Change } from '../dataflow/zset.js';
import type { Row } from '../types/datum.js';
import { columnsKey, rowKey } from '../types/row-key.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { formatDatum } from '../types/text-format.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import type { KvReader } from '../storage/kv-store.js';
import { compareBytes } from '../storage/compare-bytes.js';
import { decodeEntry, tableEntryKey } from './collections.js';
import { aboveBound, type StoredKeyBounds } from './stored-key-bounds.js';
import { compareKeyNumbers, keyNumber } from './numeric-key-bound.js';
import { keys as keyLayout } from '../storage/key-layout.js';

/** A primary key as a Map key: `columnsKey`, or the number itself for a one-column numeric key. */
type PkKey = string | number;

/**
 * The Map key of a row's primary key. A one-column key holding a number is used as it is (no
 * string built): Map compares numbers by SameValueZero, so -0 and 0 are one key and every NaN
 * is one key, as in `columnsKey`, and a number never equals the string of another key: two
 * rows get the same PkKey exactly when they get the same `columnsKey`.
 */
function pkKey(row: Row, pk: readonly number[]): PkKey {
  if (pk.length === 1) {
    const d = row[pk[0]!];
    if (typeof d === 'number') return d;
  }
  return columnsKey(row, pk);
}

interface KeyState {
  net: number;
  /** A row under this key (the last inserted one): for its storage key and error messages. */
  row: Row;
}

interface PendingTable {
  table: RelationItem;
  changes: Change[];
  /** `changes` is consolidated: after `consolidate`, or while every change of a keyed table has its own key. */
  consolidated: boolean;
  /** Some gathered change has a negative diff. */
  retracts: boolean;
  /** Primary key (`pkKey`) → net diff of the gathered changes under it (keyed tables only). */
  keys: Map<PkKey, KeyState>;
}

export class PendingWrites {
  #tables = new Map<string, PendingTable>();

  get isEmpty(): boolean {
    return this.#tables.size === 0;
  }

  /** The gathered changes of one table, consolidated (for reads that must see them). */
  changesFor(tableId: string): Change[] | undefined {
    const t = this.#tables.get(tableId);
    if (!t) return undefined;
    return consolidated(t);
  }

  /**
   * Adds a statement's changes after checking NOT NULL and that no primary key ends with
   * two rows among the gathered changes — and, when `stored` is given, counting the rows
   * already in storage too (skipping the read for keys above the table's `bounds`). On
   * error nothing is added.
   */
  add(table: RelationItem, changes: Change[], stored?: KvReader, bounds?: StoredKeyBounds): Promise<void> | void {
    checkNotNull(table, changes);
    let t = this.#tables.get(table.id);
    if (!t) this.#tables.set(table.id, (t = { table, changes: [], consolidated: true, retracts: false, keys: new Map() }));
    const pk = table.primaryKey;
    if (pk && changes.length === 1 && !stored) {
      // One row (an INSERT … VALUES execution): no statement-local map, no promise.
      const c = changes[0]!;
      const row = c[0];
      const diff = c[1];
      const k = pkKey(row, pk);
      const prev = t.keys.get(k);
      const net = (prev === undefined ? 0 : prev.net) + diff;
      if (net > 1) throw duplicateKey(table, row);
      if (prev === undefined) t.keys.set(k, { net, row });
      else {
        t.consolidated = false;
        t.keys.set(k, { net, row: diff > 0 ? row : prev.row });
      }
      if (diff < 0) t.retracts = true;
      t.changes.push(c);
      return;
    }
    return this.#addChecked(table, t, changes, stored, bounds);
  }

  async #addChecked(table: RelationItem, t: PendingTable, changes: Change[], stored: KvReader | undefined, bounds: StoredKeyBounds | undefined): Promise<void> {
    const pk = table.primaryKey;
    if (pk) {
      let fresh = true;
      const touched = new Map<PkKey, KeyState>();
      for (const [row, diff] of changes) {
        const k = pkKey(row, pk);
        const prev = touched.get(k) ?? t.keys.get(k);
        if (prev) fresh = false;
        const state = { net: (prev?.net ?? 0) + diff, row: diff > 0 || !prev ? row : prev.row };
        touched.set(k, state);
        if (state.net > 1) throw duplicateKey(table, row);
      }
      if (stored) await checkStoredKeys(table, touched, stored, bounds);
      for (const [k, state] of touched) t.keys.set(k, state);
      if (!fresh) t.consolidated = false;
    } else if (changes.length > 0) {
      t.consolidated = false;
    }
    for (const c of changes) {
      if (c[1] < 0) t.retracts = true;
      t.changes.push(c);
    }
  }

  /**
   * Checks every gathered key against storage: run at commit, under the coordinator's lock
   * (with `bounds`, keys above a table's bound are not read; see stored-key-bounds.ts).
   */
  async checkStored(reader: KvReader, bounds?: StoredKeyBounds): Promise<void> {
    for (const t of this.#tables.values()) {
      if (t.table.primaryKey) await checkStoredKeys(t.table, t.keys, reader, bounds);
    }
  }

  /**
   * Checks that every row the changes retract is still stored (run at COMMIT, under the
   * coordinator's lock): a transaction computed its UPDATEs and DELETEs from a snapshot, and
   * if another session changed those rows since, committing would corrupt the table. Such a
   * transaction fails with 40001 and changes nothing, as under Postgres's SERIALIZABLE.
   */
  async checkRetractions(reader: KvReader): Promise<void> {
    for (const t of this.#tables.values()) {
      if (!t.retracts) continue;
      const retracted = consolidated(t).filter(([, d]) => d < 0);
      if (retracted.length === 0) continue;
      const pk = t.table.primaryKey;
      const stored = await reader.getMany(retracted.map(([row]) => tableEntryKey(t.table.id, row, pk)));
      for (let i = 0; i < retracted.length; i++) {
        const [row, diff] = retracted[i]!;
        const entry = stored[i];
        const ok = entry !== undefined && (() => {
          const [storedRow, storedDiff] = decodeEntry(entry);
          return rowKey(storedRow) === rowKey(row) && storedDiff >= -diff;
        })();
        if (!ok) {
          throw new SqlError(SqlState.serializationFailure, 'could not serialize access due to concurrent update', {
            detail: `A row of "${t.table.name}" that this transaction changes was changed by another transaction since it was read.`,
            hint: 'The transaction might succeed if retried.',
          });
        }
      }
    }
  }

  /** Every table's changes, consolidated: what the tick commits. */
  toMap(): Map<string, Change[]> {
    const out = new Map<string, Change[]>();
    for (const [id, t] of this.#tables) out.set(id, consolidated(t));
    return out;
  }
}

/** The table's gathered changes, consolidated once (and kept so). */
function consolidated(t: PendingTable): Change[] {
  if (!t.consolidated) {
    t.changes = consolidate(t.changes);
    t.consolidated = true;
  }
  return t.changes;
}

/**
 * A key whose gathered net is +1 must not already hold a stored row (one read for all keys).
 * With `bounds` (reading the store's latest state): keys above the table's bound are not
 * stored and are not read; the bound is raised to the highest inserted key.
 */
async function checkStoredKeys(table: RelationItem, keys: Map<PkKey, KeyState>, reader: KvReader, bounds?: StoredKeyBounds): Promise<void> {
  const useBound = bounds !== undefined && bounds.applies(table, reader);
  const bound = useBound ? await bounds.bound(table.id) : null;
  const toRead: Uint8Array[] = [];
  const readRows: Row[] = [];
  if (!(useBound && numericKeysToRead(table, keys, bound, bounds, toRead, readRows))) {
    let highest: Uint8Array | undefined;
    for (const k of keys.values()) {
      if (k.net <= 0) continue;
      const key = tableEntryKey(table.id, k.row, table.primaryKey);
      if (useBound) {
        if (highest === undefined || compareBytes(key, highest) > 0) highest = key;
        if (aboveBound(key, bound)) continue;
      }
      toRead.push(key);
      readRows.push(k.row);
    }
    if (highest !== undefined) bounds!.note(table.id, highest);
  }
  if (toRead.length === 0) return;
  const found = await reader.getMany(toRead);
  for (let i = 0; i < readRows.length; i++) {
    if (found[i] !== undefined) throw duplicateKey(table, readRows[i]!);
  }
}

/**
 * checkStoredKeys's fast path for a key of one numeric column (numeric-key-bound.ts): the keys
 * at or below the bound go to `toRead` (with their rows), and the bound is raised to the
 * highest key, encoding only those keys. Returns false, having done nothing, when it does not
 * apply (another key shape, a bound that is not one number, a key value that is not a number).
 */
function numericKeysToRead(table: RelationItem, keys: Map<PkKey, KeyState>, bound: Uint8Array | null, bounds: StoredKeyBounds, toRead: Uint8Array[], readRows: Row[]): boolean {
  const pk = table.primaryKey!;
  if (pk.length !== 1) return false;
  const col = pk[0]!;
  let boundNum: number | undefined;
  if (bound !== null && (boundNum = keyNumber(bound, keyLayout.tablePrefix(table.id))) === undefined) return false;
  let highest: Row | undefined;
  let highestNum = 0;
  for (const k of keys.values()) {
    if (k.net <= 0) continue;
    const d = k.row[col];
    if (typeof d !== 'number') {
      toRead.length = 0;
      readRows.length = 0;
      return false;
    }
    if (highest === undefined || compareKeyNumbers(d, highestNum) > 0) {
      highest = k.row;
      highestNum = d;
    }
    if (boundNum === undefined || compareKeyNumbers(d, boundNum) > 0) continue;
    toRead.push(tableEntryKey(table.id, k.row, pk));
    readRows.push(k.row);
  }
  if (highest !== undefined) bounds.note(table.id, tableEntryKey(table.id, highest, pk));
  return true;
}

export function checkNotNull(table: RelationItem, changes: Change[]): void {
  const cols = table.columns;
  for (const [row, diff] of changes) {
    if (diff <= 0) continue;
    for (let i = 0; i < cols.length; i++) {
      if (row[i] === null && !cols[i]!.nullable) {
        throw new SqlError(SqlState.notNullViolation, `null value in column "${cols[i]!.name}" of relation "${table.name}" violates not-null constraint`, {
          detail: `Failing row contains (${row.map((d, j) => (d === null ? 'null' : formatDatum(d, cols[j]!.type))).join(', ')}).`,
        });
      }
    }
  }
}

export function duplicateKey(table: RelationItem, row: Row): SqlError {
  const pk = table.primaryKey ?? [];
  const cols = pk.map((c) => table.columns[c]!);
  return new SqlError(SqlState.uniqueViolation, `duplicate key value violates unique constraint "${table.name}_pkey"`, {
    detail: `Key (${cols.map((c) => c.name).join(', ')})=(${pk.map((c) => formatDatum(row[c]!, table.columns[c]!.type)).join(', ')}) already exists.`,
  });
}
