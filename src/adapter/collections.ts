/**
 * Reading and writing stored collections: table contents, view contents and view errors
 * (key layout in storage/key-layout.ts). Every stored entry's value is
 * encodeRow([diff, ...row]), so a collection reads back as a Z-set; a view whose dataflow ends
 * in a GROUP BY also keeps each group's state after its row (a trailer, dataflow/view-output-store.ts),
 * which readers skip.
 */
import type { Change } from '../dataflow/zset.js';
import type { ErrorChange } from '../render/build-dataflow.js';
import type { Bytes, KvOp, KvReader } from '../storage/kv-store.js';
import { concatBytes, keys, prefixRange } from '../storage/key-layout.js';
import type { Row } from '../types/datum.js';
import { encodeKeyAfter, encodeKeyAfterOffHeap, prefixEnd } from '../types/key-codec.js';
import { SqlError } from '../types/sql-error.js';
import { columnsKey, columnsKeysEqual, rowKey, rowKeysEqual } from '../types/row-key.js';
import { decodeFirstRow, decodeRow, encodeRow, encodeRowAfter, encodeRowAfterOffHeap } from '../types/value-codec.js';

const utf8 = new TextEncoder();

export function encodeEntry(row: Row, diff: number): Bytes {
  return encodeRowAfter(diff, row);
}

/** An entry's row and diff; a trailer after them (a reduce's state in its view's entry) is not read. */
export function decodeEntry(value: Bytes): Change {
  const r = decodeFirstRow(value);
  return [r.slice(1), r[0] as number];
}

/** All entries under a prefix, as changes. */
export async function readPrefix(reader: KvReader, prefix: Bytes): Promise<Change[]> {
  const out: Change[] = [];
  for await (const chunk of reader.scan(prefixRange(prefix))) {
    for (const [, v] of chunk) out.push(decodeEntry(v));
  }
  return out;
}

/** All entries whose key starts with `start` (any bytes, not only '/'-terminated prefixes). */
export async function readRange(reader: KvReader, start: Bytes): Promise<Change[]> {
  const end = prefixEnd(start);
  const out: Change[] = [];
  for await (const chunk of reader.scan(end ? { gte: start, lt: end } : { gte: start })) {
    for (const [, v] of chunk) out.push(decodeEntry(v));
  }
  return out;
}

export function readTable(reader: KvReader, tableId: string): Promise<Change[]> {
  return readPrefix(reader, keys.tablePrefix(tableId));
}

export function readView(reader: KvReader, viewId: string): Promise<Change[]> {
  return readPrefix(reader, keys.viewPrefix(viewId));
}

/** The first error of a view's error collection, if it has any. */
export async function firstViewError(reader: KvReader, viewId: string): Promise<SqlError | undefined> {
  for await (const chunk of reader.scan({ ...prefixRange(keys.viewErrorPrefix(viewId)), limit: 1 })) {
    for (const [, v] of chunk) {
      const r = decodeRow(v);
      return new SqlError(String(r[1]), String(r[2]));
    }
  }
  return undefined;
}

/** The bytes as a string of char codes 0–255 (a Map key); short keys without a native call. */
function latin1(b: Bytes): string {
  if (b.length <= 64) return String.fromCharCode.apply(null, b as unknown as number[]);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** Key of a table entry: its primary key, or the whole row for tables without one. */
export function tableEntryKey(tableId: string, row: Row, primaryKey: number[] | undefined): Bytes {
  return encodeKeyAfter(keys.tablePrefix(tableId), row, primaryKey);
}

/**
 * Applies consolidated changes to the collection stored under `prefix` (entries keyed by
 * `keyOf(row)`): reads the current diffs of the touched keys, adds, and appends put/del ops.
 * For keyed tables an entry holds exactly one row; an UPDATE arrives as -old +new.
 */
export async function applyChanges(
  reader: KvReader,
  changes: Change[],
  keyOf: (row: Row) => Bytes,
  ops: KvOp[],
): Promise<void> {
  if (changes.length === 0) return;
  // Group by storage key; within a key, by row.
  const byKey = new Map<string, { key: Bytes; rows: Map<string, Change> }>();
  for (const [row, diff] of changes) {
    const key = keyOf(row);
    const ks = latin1(key);
    let entry = byKey.get(ks);
    if (!entry) byKey.set(ks, (entry = { key, rows: new Map() }));
    const rk = rowKey(row);
    const prev = entry.rows.get(rk);
    if (prev) prev[1] += diff;
    else entry.rows.set(rk, [row, diff]);
  }
  const entries = [...byKey.values()];
  const current = await reader.getMany(entries.map((e) => e.key));
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const stored = current[i];
    if (stored) {
      const [row, diff] = decodeEntry(stored);
      const rk = rowKey(row);
      const prev = e.rows.get(rk);
      if (prev) prev[1] += diff;
      else e.rows.set(rk, [row, diff]);
    }
    let live: Change | undefined;
    for (const c of e.rows.values()) {
      if (c[1] === 0) continue;
      // Two different rows under one key: only possible for a keyed table, which DML prevents.
      if (live !== undefined) throw new Error('internal error: two rows under one storage key');
      live = c;
    }
    if (live === undefined) {
      if (stored) ops.push({ type: 'del', key: e.key });
    } else {
      ops.push({ type: 'put', key: e.key, value: encodeEntry(live[0], live[1]) });
    }
  }
}

/**
 * Applies changes to a collection stored by a unique key without reading it: every key ends
 * with at most one row (a table after the primary-key check in pending-writes.ts; a view
 * whose plan has a unique key), so a key with an inserted row is put and a key with only
 * retractions is deleted.
 *
 * Fast path, no grouping: when every change is an insertion, or a retraction immediately
 * followed by the insertion that replaces it under the same key (how reduce emits an updated
 * group), each insertion is one put. Otherwise the changes are grouped by key.
 *
 * The ops' keys and values are encoded straight into off-heap slabs and marked `offHeap`
 * (types/off-heap-bytes.ts): they live only as long as the tick's batch.
 */
export function applyKeyedChanges(changes: Change[], prefix: Bytes, keyCols: number[] | undefined, ops: KvOp[]): void {
  const n = changes.length;
  const start = ops.length;
  let i = 0;
  for (; i < n; i++) {
    const c = changes[i]!;
    let row = c[0];
    if (c[1] !== 1) {
      const next = i + 1 < n ? changes[i + 1]! : undefined;
      if (c[1] !== -1 || next === undefined || next[1] !== 1) break;
      if (keyCols ? !columnsKeysEqual(row, next[0], keyCols) : !rowKeysEqual(row, next[0])) break;
      row = next[0];
      i++;
    }
    ops.push({ type: 'put', key: encodeKeyAfterOffHeap(prefix, row, keyCols), value: encodeRowAfterOffHeap(1, row), offHeap: true });
  }
  if (i === n) return;
  ops.length = start;
  // Row to put under each key, or a row only retracted (its key is deleted).
  const final = new Map<string, { row: Row; put: boolean }>();
  for (let j = 0; j < n; j++) {
    const [row, diff] = changes[j]!;
    const ks = keyCols ? columnsKey(row, keyCols) : rowKey(row);
    const e = final.get(ks);
    if (diff > 0) {
      if (diff > 1 || e?.put) throw new Error('internal error: two rows under one unique key');
      if (e === undefined) final.set(ks, { row, put: true });
      else {
        e.row = row;
        e.put = true;
      }
    } else if (e === undefined) {
      final.set(ks, { row, put: false });
    }
  }
  for (const { row, put } of final.values()) {
    const key = encodeKeyAfterOffHeap(prefix, row, keyCols);
    ops.push(put ? { type: 'put', key, value: encodeRowAfterOffHeap(1, row), offHeap: true } : { type: 'del', key, offHeap: true });
  }
}

/** Key of a view entry: its unique key's columns when the view has one, else the whole row. */
export function viewEntryKey(viewId: string, row: Row, uniqueKey?: number[]): Bytes {
  return encodeKeyAfter(keys.viewPrefix(viewId), row, uniqueKey);
}

/**
 * Applies error changes to a view's error collection. Returns how many distinct errors the
 * view gained (negative: lost), so the coordinator can keep its in-memory error counts.
 */
export async function applyErrorChanges(reader: KvReader, viewId: string, errChanges: ErrorChange[], ops: KvOp[]): Promise<number> {
  const errs = consolidateErrors(errChanges);
  if (errs.length === 0) return 0;
  const prefix = keys.viewErrorPrefix(viewId);
  const ks = errs.map(([e]) => concatBytes(prefix, utf8.encode(`${e.code}\u0000${e.message}`)));
  const current = await reader.getMany(ks);
  let delta = 0;
  for (let i = 0; i < errs.length; i++) {
    const [err, diff] = errs[i]!;
    const stored = current[i];
    const total = (stored ? (decodeRow(stored)[0] as number) : 0) + diff;
    if (total === 0) {
      if (stored) {
        ops.push({ type: 'del', key: ks[i]! });
        delta--;
      }
    } else {
      ops.push({ type: 'put', key: ks[i]!, value: encodeRow([total, err.code, err.message]) });
      if (!stored) delta++;
    }
  }
  return delta;
}

/** Sums the diffs of equal errors and drops zeros. */
export function consolidateErrors(errs: ErrorChange[]): ErrorChange[] {
  if (errs.length <= 1) return errs;
  const byKey = new Map<string, ErrorChange>();
  for (const [e, d] of errs) {
    const k = `${e.code}\u0000${e.message}`;
    const prev = byKey.get(k);
    if (prev) prev[1] += d;
    else byKey.set(k, [e, d]);
  }
  return [...byKey.values()].filter(([, d]) => d !== 0);
}

/** A view's stored errors, as error changes (what a view built on it starts from). */
export async function readViewErrors(reader: KvReader, viewId: string): Promise<ErrorChange[]> {
  const out: ErrorChange[] = [];
  for await (const chunk of reader.scan(prefixRange(keys.viewErrorPrefix(viewId)))) {
    for (const [, v] of chunk) {
      const r = decodeRow(v);
      out.push([{ code: String(r[1]), message: String(r[2]) }, r[0] as number]);
    }
  }
  return out;
}

/** The number of distinct errors of every view that has any (read once at start). */
export async function countViewErrors(reader: KvReader): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const dec = new TextDecoder();
  for await (const chunk of reader.scan(prefixRange(utf8.encode('e/')))) {
    for (const [k] of chunk) {
      const id = dec.decode(k).split('/')[1]!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}
