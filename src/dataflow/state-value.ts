/**
 * encodeStateValue: the bytes of `encodeRow(value)` (types/value-codec.ts, whose header tables
 * the tags) for the value of an operator state entry, written by a loop specialised for the
 * datums such values are mostly made of: small integers (diffs, counts), int64 bigints (sums),
 * NULL, booleans, short ASCII strings and arrays of these (a group's key row, an accumulator's
 * saved state). A reduce writes one such value per changed group per tick; the general
 * encoder's dispatch and writer calls were most of that cost.
 *
 * Any other datum (floats are not other: tag 4 is here) is encoded by `encodeDatum` and its
 * bytes appended, so the result is always exactly `encodeRow`'s (test/dataflow/state-value.test.ts
 * compares them over every kind of datum) and `decodeRow` reads it back. The buffer is module
 * scratch reused by every call; the result is a copy.
 */
import type { Datum } from '../types/datum.js';
import { encodeDatum } from '../types/value-codec.js';

const V_NULL = 0;
const V_FALSE = 1;
const V_TRUE = 2;
const V_INT = 3;
const V_FLOAT = 4;
const V_INT64 = 5;
const V_STRING = 7;
const V_ARRAY = 14;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

let buf = new Uint8Array(1024);
let view = new DataView(buf.buffer);
let pos = 0;

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + n) size *= 2;
  const old = buf;
  buf = new Uint8Array(size);
  buf.set(old.subarray(0, pos));
  view = new DataView(buf.buffer);
}

/** Unsigned LEB128 of 0 <= n < 2^32 (what value-codec's varUint writes for it). */
function varUint32(n: number): void {
  ensure(5);
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
}

/** `encodeRow(value)`, the same bytes. */
export function encodeStateValue(value: readonly Datum[]): Uint8Array {
  pos = 0;
  varUint32(value.length);
  for (let i = 0; i < value.length; i++) writeDatum(value[i]!);
  const n = pos;
  if (n > 64) return buf.slice(0, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = buf[i]!;
  return out;
}

function writeDatum(d: Datum): void {
  switch (typeof d) {
    case 'number':
      if ((d | 0) === d && (d !== 0 || 1 / d > 0)) {
        ensure(1);
        buf[pos++] = V_INT;
        varUint32(((d << 1) ^ (d >> 31)) >>> 0); // zigzag
      } else {
        ensure(9);
        buf[pos++] = V_FLOAT;
        view.setFloat64(pos, d, true);
        pos += 8;
      }
      return;
    case 'bigint':
      if (d < INT64_MIN || d > INT64_MAX) break;
      ensure(9);
      buf[pos++] = V_INT64;
      view.setBigInt64(pos, d, true);
      pos += 8;
      return;
    case 'boolean':
      ensure(1);
      buf[pos++] = d ? V_TRUE : V_FALSE;
      return;
    case 'string': {
      const n = d.length;
      if (n >= 0x80) break;
      ensure(2 + n);
      let i = 0;
      for (; i < n; i++) {
        const c = d.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos + 2 + i] = c;
      }
      if (i < n) break; // not ASCII: the general encoder (UTF-8) writes over these bytes
      buf[pos] = V_STRING;
      buf[pos + 1] = n; // n < 128 ASCII characters: n bytes, one length byte
      pos += 2 + n;
      return;
    }
    case 'object':
      if (d === null) {
        ensure(1);
        buf[pos++] = V_NULL;
        return;
      }
      if (Array.isArray(d)) {
        ensure(1);
        buf[pos++] = V_ARRAY;
        varUint32(d.length);
        for (let i = 0; i < d.length; i++) writeDatum(d[i]!);
        return;
      }
      break;
    default:
      break;
  }
  const bytes = encodeDatum(d);
  ensure(bytes.length);
  buf.set(bytes, pos);
  pos += bytes.length;
}
