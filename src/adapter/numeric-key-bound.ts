/**
 * The primary-key check's fast path for a table keyed by one numeric column (pending-writes.ts):
 * whether a gathered key lies above the table's stored-key bound (stored-key-bounds.ts) is
 * decided by comparing the key values as numbers, instead of encoding every key and comparing
 * bytes. Safe because key-codec.ts encodes a number after the table's prefix in numeric order
 * (-0 as 0, every NaN as one value above +Infinity), so comparing two numbers with
 * `compareKeyNumbers` has the sign of comparing their encoded keys. The bound is decoded
 * once; when it is not a single number (another key type), the caller takes the general path.
 */
import type { Bytes } from '../storage/kv-store.js';
import { compareBytes } from '../storage/compare-bytes.js';
import { decodeKey, encodeKeyAfter } from '../types/key-codec.js';

/** The number a one-number key under `prefix` holds, or undefined when `key` is not such a key. */
export function keyNumber(key: Bytes, prefix: Bytes): number | undefined {
  if (key.length <= prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return undefined;
  let tuple;
  try {
    tuple = decodeKey(key.subarray(prefix.length));
  } catch {
    return undefined;
  }
  if (tuple.length !== 1 || typeof tuple[0] !== 'number') return undefined;
  const n = tuple[0];
  // Only a key that is exactly the encoding of n (not a truncated or padded one) stands for n.
  return compareBytes(encodeKeyAfter(prefix, tuple), key) === 0 ? n : undefined;
}

/** The order of two numbers as keys: numeric, -0 equal to 0, NaN equal to NaN and above everything. */
export function compareKeyNumbers(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
