/**
 * rowKey: an injective string for a row, used as the key of in-memory maps (consolidation,
 * arrangements). Two rows get the same key exactly when SQL treats them as the same row for
 * grouping and DISTINCT (NULLs equal, 1.0 = 1.00, -0 = 0). Not ordered: storage keys use
 * key-codec.ts instead.
 */
import { Interval, Jsonb, Record, type Datum, type Row } from './datum.js';
import { Numeric } from './numeric.js';

export function rowKey(row: Row): string {
  let s = '';
  for (let i = 0; i < row.length; i++) s += datumKey(row[i]!);
  return s;
}

/** Key of a sub-list of a row's columns (a join or group key). */
export function columnsKey(row: Row, cols: readonly number[]): string {
  let s = '';
  for (let i = 0; i < cols.length; i++) s += datumKey(row[cols[i]!]!);
  return s;
}

/** Whether `rowKey(a) === rowKey(b)`, without building the keys when the datums are primitives. */
export function rowKeysEqual(a: Row, b: Row): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!datumKeysEqual(a[i]!, b[i]!)) return false;
  return true;
}

/** Whether `columnsKey(a, cols) === columnsKey(b, cols)`. */
export function columnsKeysEqual(a: Row, b: Row, cols: readonly number[]): boolean {
  for (let i = 0; i < cols.length; i++) if (!datumKeysEqual(a[cols[i]!]!, b[cols[i]!]!)) return false;
  return true;
}

/** Whether `datumKey(x) === datumKey(y)`. */
export function datumKeysEqual(x: Datum, y: Datum): boolean {
  if (x === y) return true; // 0 === -0: one key too
  if (x === null || y === null) return false;
  // Distinct primitives have distinct keys, except NaN (one key for every NaN).
  if (typeof x !== 'object' && typeof y !== 'object') return x !== x && y !== y;
  return datumKey(x) === datumKey(y);
}

export function datumKey(d: Datum): string {
  switch (typeof d) {
    case 'number':
      return 'n' + (d === 0 ? '0' : String(d)) + ';';
    case 'string':
      return 's' + d.length + ':' + d;
    case 'bigint':
      return 'i' + d.toString() + ';';
    case 'boolean':
      return d ? 'T' : 'F';
    case 'object':
      if (d === null) return 'N';
      if (d instanceof Numeric) return 'd' + d.normalize().toString() + ';';
      if (d instanceof Uint8Array) return 'b' + Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64') + ';';
      if (d instanceof Interval) return 'v' + d.months + ',' + d.days + ',' + d.micros + ';';
      if (d instanceof Jsonb) {
        const j = JSON.stringify(d.value);
        return 'j' + j.length + ':' + j;
      }
      if (d instanceof Record) return 'r' + d.fields.length + '(' + rowKey(d.fields) + ')';
      if (Array.isArray(d)) return 'a' + d.length + '[' + rowKey(d) + ']';
      break;
    default:
      break;
  }
  throw new Error(`rowKey: unsupported datum ${String(d)}`);
}
