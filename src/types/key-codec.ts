/**
 * key-codec.ts owns the order-preserving byte encoding of datum tuples, used for storage keys:
 * comparing two encodings bytewise gives the SQL order of the tuples (compare.ts, ASC NULLS
 * LAST per position), and the encoding of a tuple's prefix is a byte prefix of the whole, so a
 * scan over `[encodeKey(prefix), prefixEnd(encodeKey(prefix)))` finds every tuple starting with
 * it. Equal values encode equal (1.0 and 1.00, -0 and 0, every NaN), so decoding canonicalizes:
 * Numeric comes back normalized, -0 as 0.
 *
 * Each datum is a tag byte and a self-delimiting payload:
 *
 * | tag  | datum        | payload                                                               |
 * |------|--------------|-----------------------------------------------------------------------|
 * | 0x10 | false        | —                                                                     |
 * | 0x11 | true         | —                                                                     |
 * | 0x20 | number       | float64 big-endian, sign bit flipped (all bits when negative)         |
 * | 0x21 | bigint       | int64 big-endian, sign bit flipped                                    |
 * | 0x22 | Numeric      | class byte (-inf, neg, zero, pos, inf, NaN), exponent, digit pairs    |
 * | 0x30 | string       | UTF-8 with 0x00 escaped as 0x00 0xff, ended by 0x00 0x01              |
 * | 0x31 | Uint8Array   | bytes, escaped and ended the same way                                 |
 * | 0x40 | Interval     | total span (int128), then months, days, micros as tie-breakers        |
 * | 0x50 | Jsonb        | a typed JSON encoding in Postgres's jsonb order                       |
 * | 0x60 | Datum[]      | elements (each tagged), ended by 0x01                                 |
 * | 0x61 | Record       | fields (each tagged), ended by 0x01                                   |
 * | 0xfe | NULL         | — (above every value's tag: NULLS LAST)                               |
 */
import { Interval, Jsonb, Record, type Datum, type JsonValue } from './datum.js';
import { Numeric, pow10 } from './numeric.js';
import { ByteWriter, asBuffer } from './byte-writer.js';
import { SqlError, SqlState } from './sql-error.js';
import { intervalSpan, jsonbKeys } from './compare.js';

const T_FALSE = 0x10;
const T_TRUE = 0x11;
const T_NUMBER = 0x20;
const T_BIGINT = 0x21;
const T_NUMERIC = 0x22;
const T_STRING = 0x30;
const T_BYTES = 0x31;
const T_INTERVAL = 0x40;
const T_JSONB = 0x50;
const T_ARRAY = 0x60;
const T_RECORD = 0x61;
const T_END = 0x01;
const T_NULL = 0xfe;

// Numeric classes.
const N_NEG_INF = 0x00;
const N_NEG = 0x01;
const N_ZERO = 0x02;
const N_POS = 0x03;
const N_INF = 0x04;
const N_NAN = 0x05;

// JSON value tags, in jsonb order: null < string < number < boolean < array < object.
const J_NULL = 0x10;
const J_STRING = 0x20;
const J_NUMBER = 0x30;
const J_FALSE = 0x40;
const J_TRUE = 0x41;
const J_ARRAY = 0x50;
const J_OBJECT = 0x60;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const U64 = 2n ** 64n - 1n;

const w = new ByteWriter();

export function encodeKey(datums: readonly Datum[]): Uint8Array {
  w.reset();
  for (let i = 0; i < datums.length; i++) writeDatum(datums[i]!);
  return w.finish();
}

/**
 * `prefix ++ encodeKey(cols.map((i) => row[i]))` (the whole row when `cols` is undefined) in
 * one allocation: a storage key built without the intermediate tuple and concatenation.
 */
export function encodeKeyAfter(prefix: Uint8Array, row: readonly Datum[], cols?: readonly number[]): Uint8Array {
  writeKeyAfter(prefix, row, cols);
  return w.finish();
}

/** `encodeKeyAfter`, its bytes off-heap (off-heap-bytes.ts): for the key of a batch's op only. */
export function encodeKeyAfterOffHeap(prefix: Uint8Array, row: readonly Datum[], cols?: readonly number[]): Uint8Array {
  writeKeyAfter(prefix, row, cols);
  return w.finishOffHeap();
}

function writeKeyAfter(prefix: Uint8Array, row: readonly Datum[], cols?: readonly number[]): void {
  w.reset();
  w.bytes(prefix);
  if (cols === undefined) for (let i = 0; i < row.length; i++) writeDatum(row[i]!);
  else for (let i = 0; i < cols.length; i++) writeDatum(row[cols[i]!]!);
}

/** Encodes one datum (the same bytes as encodeKey([d])). */
export function encodeKeyDatum(d: Datum): Uint8Array {
  w.reset();
  writeDatum(d);
  return w.finish();
}

/** The smallest key greater than every key that starts with `bytes`; undefined when none exists (empty or all 0xff). */
export function prefixEnd(bytes: Uint8Array): Uint8Array | undefined {
  let i = bytes.length - 1;
  while (i >= 0 && bytes[i] === 0xff) i--;
  if (i < 0) return undefined;
  const out = bytes.slice(0, i + 1);
  out[i]!++;
  return out;
}

function writeDatum(d: Datum): void {
  switch (typeof d) {
    case 'number':
      w.u8(T_NUMBER);
      writeFloat(d);
      return;
    case 'bigint':
      w.u8(T_BIGINT);
      writeInt64(d);
      return;
    case 'string':
      w.u8(T_STRING);
      writeString(d);
      return;
    case 'boolean':
      w.u8(d ? T_TRUE : T_FALSE);
      return;
    case 'object':
      if (d === null) w.u8(T_NULL);
      else if (d instanceof Numeric) writeNumeric(d);
      else if (d instanceof Uint8Array) {
        w.u8(T_BYTES);
        writeEscaped(d, 0, d.length);
      } else if (d instanceof Interval) writeInterval(d);
      else if (d instanceof Jsonb) {
        w.u8(T_JSONB);
        writeJson(d.value);
      } else if (d instanceof Record) {
        w.u8(T_RECORD);
        for (const f of d.fields) writeDatum(f);
        w.u8(T_END);
      } else if (Array.isArray(d)) {
        w.u8(T_ARRAY);
        for (const e of d) writeDatum(e);
        w.u8(T_END);
      } else throw new Error(`encodeKey: unsupported datum ${String(d)}`);
      return;
    default:
      throw new Error(`encodeKey: unsupported datum ${String(d)}`);
  }
}

function writeFloat(x: number): void {
  w.ensure(8);
  const p = w.pos;
  if (x !== x) x = NaN; // one canonical NaN, above +Infinity
  else if (x === 0) x = 0; // -0 = 0
  w.view.setFloat64(p, x);
  const buf = w.buf;
  if (buf[p]! & 0x80) for (let i = 0; i < 8; i++) buf[p + i] = ~buf[p + i]! & 0xff;
  else buf[p] = buf[p]! ^ 0x80;
  w.pos = p + 8;
}

function writeInt64(v: bigint): void {
  if (v < INT64_MIN || v > INT64_MAX) throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
  w.ensure(8);
  w.view.setBigInt64(w.pos, v);
  w.buf[w.pos] = w.buf[w.pos]! ^ 0x80;
  w.pos += 8;
}

function writeString(s: string): void {
  // Write UTF-8 after a reserved gap, then escape NUL bytes in place (rare: shift only if present).
  const start = w.pos;
  const n = w.utf8(s);
  let zeros = 0;
  const buf0 = w.buf;
  for (let i = start; i < start + n; i++) if (buf0[i] === 0) zeros++;
  if (zeros === 0) {
    w.ensure(2);
    w.buf[w.pos++] = 0x00;
    w.buf[w.pos++] = 0x01;
    return;
  }
  const raw = new Uint8Array(w.buf.subarray(start, start + n)); // a copy: we rewrite this region
  w.pos = start;
  writeEscaped(raw, 0, raw.length);
}

function writeEscaped(b: Uint8Array, from: number, to: number): void {
  w.ensure((to - from) * 2 + 2);
  const buf = w.buf;
  let p = w.pos;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    buf[p++] = c;
    if (c === 0) buf[p++] = 0xff;
  }
  buf[p++] = 0x00;
  buf[p++] = 0x01;
  w.pos = p;
}

function writeNumeric(n: Numeric): void {
  w.u8(T_NUMERIC);
  if (n.special !== undefined) {
    w.u8(n.special === 'nan' ? N_NAN : n.special === 'inf' ? N_INF : N_NEG_INF);
    return;
  }
  if (n.unscaled === 0n) {
    w.u8(N_ZERO);
    return;
  }
  const neg = n.unscaled < 0n;
  let digits = (neg ? -n.unscaled : n.unscaled).toString();
  // value = 0.d1d2…dk × 10^exp, with no trailing zero digits: one encoding per value.
  const exp = digits.length - n.scale;
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  if (digits.length % 2 === 1) digits += '0';
  const flip = neg ? 0xff : 0x00;
  w.u8(neg ? N_NEG : N_POS);
  w.ensure(4 + digits.length / 2 + 1);
  w.view.setUint32(w.pos, ((exp + 0x80000000) >>> 0) ^ (neg ? 0xffffffff : 0));
  w.pos += 4;
  const buf = w.buf;
  for (let i = 0; i < digits.length; i += 2) {
    const pair = (digits.charCodeAt(i) - 48) * 10 + (digits.charCodeAt(i + 1) - 48);
    buf[w.pos++] = (pair + 1) ^ flip;
  }
  buf[w.pos++] = flip; // terminator below every digit pair (above, when negative)
}

function writeInterval(v: Interval): void {
  w.u8(T_INTERVAL);
  const span = intervalSpan(v);
  w.ensure(16);
  w.view.setBigInt64(w.pos, span >> 64n);
  w.buf[w.pos] = w.buf[w.pos]! ^ 0x80;
  w.view.setBigUint64(w.pos + 8, span & U64);
  w.pos += 16;
  writeFloat(v.months);
  writeFloat(v.days);
  writeFloat(v.micros);
}

function writeJson(v: JsonValue): void {
  if (v === null) w.u8(J_NULL);
  else if (typeof v === 'string') {
    w.u8(J_STRING);
    writeString(v);
  } else if (typeof v === 'number') {
    w.u8(J_NUMBER);
    writeFloat(v);
  } else if (typeof v === 'boolean') w.u8(v ? J_TRUE : J_FALSE);
  else if (Array.isArray(v)) {
    w.u8(J_ARRAY);
    w.ensure(4);
    w.view.setUint32(w.pos, v.length);
    w.pos += 4;
    for (const e of v) writeJson(e);
  } else {
    const keys = jsonbKeys(v);
    w.u8(J_OBJECT);
    w.ensure(4);
    w.view.setUint32(w.pos, keys.length);
    w.pos += 4;
    for (const k of keys) {
      writeString(k);
      writeJson(v[k]!);
    }
  }
}

// ---- decoding ----

const SCRATCH = new DataView(new ArrayBuffer(8));

class Reader {
  pos = 0;
  readonly scratch = SCRATCH;
  #view: DataView | null = null;
  constructor(readonly buf: Buffer) {}
  get view(): DataView {
    return (this.#view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }
  u8(): number {
    if (this.pos >= this.buf.length) throw new Error('decodeKey: truncated key');
    return this.buf[this.pos++]!;
  }
}

export function decodeKey(bytes: Uint8Array): Datum[] {
  const r = new Reader(asBuffer(bytes));
  const out: Datum[] = [];
  while (r.pos < r.buf.length) out.push(readDatum(r, r.u8()));
  return out;
}

function readDatum(r: Reader, tag: number): Datum {
  switch (tag) {
    case T_FALSE: return false;
    case T_TRUE: return true;
    case T_NULL: return null;
    case T_NUMBER: return readFloat(r);
    case T_BIGINT: {
      const s = r.scratch;
      for (let i = 0; i < 8; i++) s.setUint8(i, r.buf[r.pos + i]!);
      s.setUint8(0, s.getUint8(0) ^ 0x80);
      r.pos += 8;
      return s.getBigInt64(0);
    }
    case T_NUMERIC: return readNumeric(r);
    case T_STRING: return readString(r);
    case T_BYTES: return readEscaped(r);
    case T_INTERVAL: {
      r.pos += 16;
      const months = readFloat(r);
      const days = readFloat(r);
      const micros = readFloat(r);
      return new Interval(months, days, micros);
    }
    case T_JSONB: return new Jsonb(readJson(r));
    case T_ARRAY:
    case T_RECORD: {
      const items: Datum[] = [];
      for (;;) {
        const t = r.u8();
        if (t === T_END) break;
        items.push(readDatum(r, t));
      }
      return tag === T_ARRAY ? items : new Record(items);
    }
    default:
      throw new Error(`decodeKey: unknown tag 0x${tag.toString(16)}`);
  }
}

function readFloat(r: Reader): number {
  const s = r.scratch;
  const b0 = r.buf[r.pos]!;
  if (b0 & 0x80) {
    for (let i = 0; i < 8; i++) s.setUint8(i, r.buf[r.pos + i]!);
    s.setUint8(0, b0 ^ 0x80);
  } else {
    for (let i = 0; i < 8; i++) s.setUint8(i, ~r.buf[r.pos + i]! & 0xff);
  }
  r.pos += 8;
  return s.getFloat64(0);
}

/** Finds the 0x00 0x01 terminator from r.pos; returns its index (the content may hold 0x00 0xff escapes). */
function findEnd(r: Reader): [end: number, escaped: boolean] {
  const buf = r.buf;
  let i = r.pos;
  let escaped = false;
  for (;;) {
    i = buf.indexOf(0, i);
    if (i < 0 || i + 1 >= buf.length) throw new Error('decodeKey: unterminated string');
    if (buf[i + 1] === 0x01) return [i, escaped];
    escaped = true;
    i += 2;
  }
}

function readEscapedRaw(r: Reader): Uint8Array {
  const [end, escaped] = findEnd(r);
  let out: Uint8Array;
  if (!escaped) out = r.buf.slice(r.pos, end);
  else {
    out = new Uint8Array(end - r.pos);
    let n = 0;
    for (let i = r.pos; i < end; i++) {
      out[n++] = r.buf[i]!;
      if (r.buf[i] === 0) i++;
    }
    out = out.slice(0, n);
  }
  r.pos = end + 2;
  return out;
}

function readEscaped(r: Reader): Uint8Array {
  return new Uint8Array(readEscapedRaw(r));
}

function readString(r: Reader): string {
  const [end, escaped] = findEnd(r);
  if (!escaped) {
    const s = r.buf.toString('utf8', r.pos, end);
    r.pos = end + 2;
    return s;
  }
  return Buffer.from(readEscapedRaw(r)).toString('utf8');
}

function readNumeric(r: Reader): Numeric {
  const cls = r.u8();
  switch (cls) {
    case N_NAN: return Numeric.NAN;
    case N_INF: return Numeric.INFINITY;
    case N_NEG_INF: return Numeric.NEG_INFINITY;
    case N_ZERO: return Numeric.ZERO;
    default: break;
  }
  const neg = cls === N_NEG;
  const flip = neg ? 0xff : 0;
  const exp = ((r.view.getUint32(r.pos) ^ (neg ? 0xffffffff : 0)) >>> 0) - 0x80000000;
  r.pos += 4;
  let digits = '';
  for (;;) {
    const b = r.u8() ^ flip;
    if (b === 0) break;
    const pair = b - 1;
    digits += pair < 10 ? '0' + pair : String(pair);
  }
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  let unscaled = BigInt(digits);
  let scale = digits.length - exp;
  if (scale < 0) {
    unscaled *= pow10(-scale);
    scale = 0;
  }
  return new Numeric(neg ? -unscaled : unscaled, scale);
}

function readUint32(r: Reader): number {
  const v = r.view.getUint32(r.pos);
  r.pos += 4;
  return v;
}

function readJson(r: Reader): JsonValue {
  const t = r.u8();
  switch (t) {
    case J_NULL: return null;
    case J_STRING: return readString(r);
    case J_NUMBER: return readFloat(r);
    case J_FALSE: return false;
    case J_TRUE: return true;
    case J_ARRAY: {
      const n = readUint32(r);
      const a: JsonValue[] = new Array(n);
      for (let i = 0; i < n; i++) a[i] = readJson(r);
      return a;
    }
    case J_OBJECT: {
      const n = readUint32(r);
      const o: { [key: string]: JsonValue } = {};
      for (let i = 0; i < n; i++) {
        const k = readString(r);
        Object.defineProperty(o, k, { value: readJson(r), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    default:
      throw new Error(`decodeKey: unknown json tag 0x${t.toString(16)}`);
  }
}
