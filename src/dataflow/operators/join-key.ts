/**
 * joinKeyFn: the key function of one side of an equi-join (operators/join.ts), built from the
 * key parts (column indexes, or compiled expressions) and, per position, whether the key is
 * null-safe. The key is the concatenation of the parts' datumKeys (self-delimiting, so
 * injective). A NULL at a plain (`=`) position makes the whole key null: the row matches
 * nothing. A NULL at a null-safe position (IS NOT DISTINCT FROM) encodes as `datumKey(null)`,
 * so it matches exactly the rows of the other side that are NULL there.
 *
 * Example: parts [#0, #1], nullSafe [false, true]
 *   [1, null] → "n1;N"      [null, 2] → null (never matches)      [1, 2] → "n1;n2;"
 */
import type { Datum, Row } from '../../types/datum.js';
import { datumKey } from '../../types/row-key.js';
import type { ScalarFn } from '../scalar-fn.js';
import type { KeyFn } from './join.js';

/** A key part: a column of the row, or a compiled expression over it. */
export type KeyPart = number | ScalarFn;

export function joinKeyFn(parts: readonly KeyPart[], nullSafe: readonly boolean[]): KeyFn {
  const n = parts.length;
  if (n === 1 && typeof parts[0] === 'number') {
    const c = parts[0];
    if (nullSafe[0]) return (row) => datumKey(row[c]!);
    return (row) => {
      const d = row[c]!;
      return d === null ? null : datumKey(d);
    };
  }
  const fns: ScalarFn[] = parts.map((p) => (typeof p === 'number' ? (row: Row) => row[p]! : p));
  const safe = parts.map((_, i) => nullSafe[i] === true);
  return (row) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      const d: Datum = fns[i]!(row);
      if (d === null && !safe[i]) return null;
      s += datumKey(d);
    }
    return s;
  };
}
