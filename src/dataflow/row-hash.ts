/**
 * rowHash: a 32-bit hash of a row that agrees with `rowKey` equality (types/row-key.ts): two
 * rows with the same rowKey get the same hash (NULLs equal, 1.0 = 1.00, -0 = 0, one hash for
 * every NaN). Unlike rowKey it builds no string for the common datums (numbers, bigints,
 * strings, booleans, numerics), so hashing a batch allocates (almost) nothing. Different rows
 * may share a hash: callers confirm with `rowKeysEqual`.
 *
 * Strings hash their length and at most 32 of their characters (the first and last 16): the
 * hash only has to spread rows, equality is checked exactly. `columnsHash` (a table of many
 * keys that lives long, such as a reduce's groups) hashes every character instead, so that
 * keys alike at both ends (URLs, padded codes) do not all share one hash.
 */
import { Numeric, type Datum, type Row } from '../types/datum.js';
import { datumKey } from '../types/row-key.js';

const f64 = new Float64Array(1);
/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x85ebca6b);
  return (h << 13) | (h >>> 19);
}

function hashNumber(d: number): number {
  if ((d | 0) === d) return d | 0; // -0 | 0 === 0
  if (d !== d) return 0x7ff80000; // every NaN
  f64[0] = d;
  return u32[0]! ^ Math.imul(u32[1]!, 0x27d4eb2d);
}

/** Every character of `s`. */
function hashStringFull(s: string): number {
  const n = s.length;
  let h = n ^ 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function hashString(s: string): number {
  const n = s.length;
  let h = n ^ 0x811c9dc5;
  if (n <= 32) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 16; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = n - 16; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h;
}

/** The value of a finite numeric as a double, when that double is the same for every scale of it. */
function hashNumeric(d: Numeric): number {
  if (d.special !== undefined) return d.special === 'nan' ? 0x6e616e : d.special === 'inf' ? 0x696e66 : 0x2d696e66;
  const u = Number(d.unscaled);
  // Exact operands (|u| < 2^53, 10^scale exact up to 10^22): the correctly rounded quotient
  // is the same double for 1.0 and 1.00.
  if (d.scale <= 22 && u <= Number.MAX_SAFE_INTEGER && u >= -Number.MAX_SAFE_INTEGER) return hashNumber(u / POW10[d.scale]!);
  return 0x6e756d; // rare: equality decides
}

export function datumHash(d: Datum): number {
  switch (typeof d) {
    case 'number':
      return hashNumber(d);
    case 'string':
      return hashString(d);
    case 'bigint':
      return hashNumber(Number(d)) ^ 0x5bd1e995;
    case 'boolean':
      return d ? 0x54 : 0x46;
    case 'object':
      if (d === null) return 0x4e554c4c;
      if (d instanceof Numeric) return hashNumeric(d);
      return hashString(datumKey(d));
    default:
      return hashString(datumKey(d));
  }
}

export function rowHash(row: Row): number {
  let h = row.length;
  for (let i = 0; i < row.length; i++) h = mix(h, datumHash(row[i]!));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/** `datumHash`, strings and the key strings of other objects hashed in full. */
function keyDatumHash(d: Datum): number {
  if (typeof d === 'number') return hashNumber(d);
  if (typeof d === 'string') return hashStringFull(d);
  if (typeof d === 'object' && d !== null && !(d instanceof Numeric)) return hashStringFull(datumKey(d));
  return datumHash(d);
}

/**
 * A hash of the columns `cols` of `row` (all of them when null) as a small non-negative
 * integer (a V8 Smi: no heap number as a Map key), equal whenever their columnsKeys are equal.
 * Every character of a string counts (see above).
 */
export function columnsHash(row: Row, cols: readonly number[] | null): number {
  const n = cols === null ? row.length : cols.length;
  if (n === 1) return keyDatumHash(row[cols === null ? 0 : cols[0]!]!) & 0x3fffffff;
  let h = n;
  for (let i = 0; i < n; i++) h = mix(h, keyDatumHash(row[cols === null ? i : cols[i]!]!));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & 0x3fffffff;
}
