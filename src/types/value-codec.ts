/**
 * value-codec.ts owns the byte encoding of rows stored as values: compact, fast and
 * self-describing (no schema needed), with an exact round trip of every Datum: Numeric keeps
 * its scale, -0 and NaN stay, Interval keeps its three fields, nested arrays and records nest.
 * Not ordered (keys use key-codec.ts).
 *
 * A row is a varint column count, then per datum a tag byte and its payload:
 *
 * | tag | datum                | payload                                             |
 * |-----|----------------------|-----------------------------------------------------|
 * | 0   | NULL                 | —                                                   |
 * | 1/2 | false / true         | —                                                   |
 * | 3   | number, int32 (not -0) | zigzag varint                                     |
 * | 4   | other number         | float64 little-endian                               |
 * | 5   | bigint in int64      | int64 little-endian                                 |
 * | 6   | other bigint         | varint length + decimal ASCII                       |
 * | 7   | string               | varint UTF-8 length + UTF-8                         |
 * | 8   | Uint8Array           | varint length + bytes                               |
 * | 9   | Numeric, small       | varint scale + zigzag varint unscaled (|u| < 2^31)  |
 * | 10  | Numeric, large       | varint scale + varint length + decimal ASCII        |
 * | 11  | Numeric NaN/Inf/-Inf | one byte 0/1/2                                      |
 * | 12  | Interval             | zigzag months, zigzag days, float64 micros          |
 * | 13  | Jsonb                | varint length + JSON text                           |
 * | 14  | Datum[]              | varint count + datums                               |
 * | 15  | Record               | varint count + datums                               |
 */
import { Interval, Jsonb, Record, type Datum, type Row } from './datum.js';
import { Numeric } from './numeric.js';
import { ByteWriter } from './byte-writer.js';

const V_NULL = 0;
const V_FALSE = 1;
const V_TRUE = 2;
const V_INT = 3;
const V_FLOAT = 4;
const V_INT64 = 5;
const V_BIGINT = 6;
const V_STRING = 7;
const V_BYTES = 8;
const V_NUMERIC_SMALL = 9;
const V_NUMERIC_LARGE = 10;
const V_NUMERIC_SPECIAL = 11;
const V_INTERVAL = 12;
const V_JSONB = 13;
const V_ARRAY = 14;
const V_RECORD = 15;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const w = new ByteWriter(4096);

export function encodeRow(row: Row): Uint8Array {
  w.reset();
  if (row.length < 0x80) w.u8(row.length);
  else w.varUint(row.length);
  for (let i = 0; i < row.length; i++) writeDatum(row[i]!);
  return w.finish();
}

/** `encodeRow([first, ...row])`, without building that array. */
export function encodeRowAfter(first: Datum, row: Row): Uint8Array {
  w.reset();
  writeRowAfter(first, row);
  return w.finish();
}

/** `encodeRowAfter`, its bytes off-heap (off-heap-bytes.ts): for the value of a batch's op only. */
export function encodeRowAfterOffHeap(first: Datum, row: Row): Uint8Array {
  w.reset();
  writeRowAfter(first, row);
  return w.finishOffHeap();
}

/**
 * `encodeRowAfter(first, row)` followed by `encodeRow(trailer)`, off-heap: a stored row that
 * carries what its writer needs to resume from it (a reduce's group state in its view's
 * entry). `decodeFirstRow` reads the row and ignores the trailer; `decodeRowTrailer` reads both.
 */
export function encodeRowAfterWithTrailerOffHeap(first: Datum, row: Row, trailer: Row): Uint8Array {
  w.reset();
  writeRowAfter(first, row);
  if (trailer.length < 0x80) w.u8(trailer.length);
  else w.varUint(trailer.length);
  for (let i = 0; i < trailer.length; i++) writeDatum(trailer[i]!);
  return w.finishOffHeap();
}

/**
 * `encodeRowAfter(first, row)` of each row, concatenated, in one copy: many rows in one stored
 * value (a Kafka source's records of one tick and partition). `decodeRows` reverses it.
 */
export function encodeRowsAfter(first: Datum, rows: readonly Row[]): Uint8Array {
  w.reset();
  for (const row of rows) writeRowAfter(first, row);
  return w.finish();
}

/** Appends `encodeRowAfter(first, row)`'s bytes to the writer. */
function writeRowAfter(first: Datum, row: Row): void {
  if (row.length + 1 < 0x80) w.u8(row.length + 1);
  else w.varUint(row.length + 1);
  writeDatum(first);
  for (let i = 0; i < row.length; i++) writeDatum(row[i]!);
}

/** Encodes one datum on its own (decodeDatum reverses it). */
export function encodeDatum(d: Datum): Uint8Array {
  w.reset();
  writeDatum(d);
  return w.finish();
}

function writeDatum(d: Datum): void {
  switch (typeof d) {
    case 'number':
      if ((d | 0) === d && (d !== 0 || 1 / d > 0)) {
        w.u8(V_INT);
        const z = ((d << 1) ^ (d >> 31)) >>> 0; // zigzag, as varInt32; one byte below 64 in magnitude
        if (z < 0x80) w.u8(z);
        else w.varUint(z);
      } else {
        w.u8(V_FLOAT);
        w.f64LE(d);
      }
      return;
    case 'string': {
      w.u8(V_STRING);
      const n = d.length;
      if (n < 128) {
        // Reserve one length byte; fix up when the UTF-8 form is longer than 127 bytes.
        const at = w.pos;
        w.u8(0);
        const bytes = w.utf8(d);
        if (bytes < 128) w.buf[at] = bytes;
        else {
          const tmp = new Uint8Array(w.buf.subarray(at + 1, at + 1 + bytes)); // a copy: the length grows over it
          w.pos = at;
          w.varUint(bytes);
          w.bytes(tmp);
        }
      } else {
        const bytes = Buffer.byteLength(d, 'utf8');
        w.varUint(bytes);
        w.utf8(d);
      }
      return;
    }
    case 'boolean':
      w.u8(d ? V_TRUE : V_FALSE);
      return;
    case 'bigint':
      if (d >= INT64_MIN && d <= INT64_MAX) {
        w.u8(V_INT64);
        w.ensure(8);
        w.view.setBigInt64(w.pos, d, true);
        w.pos += 8;
      } else {
        w.u8(V_BIGINT);
        writeAscii(d.toString());
      }
      return;
    case 'object':
      if (d === null) w.u8(V_NULL);
      else if (d instanceof Numeric) writeNumeric(d);
      else if (d instanceof Uint8Array) {
        w.u8(V_BYTES);
        w.varUint(d.length);
        w.bytes(d);
      } else if (Array.isArray(d)) {
        w.u8(V_ARRAY);
        w.varUint(d.length);
        for (let i = 0; i < d.length; i++) writeDatum(d[i]!);
      } else if (d instanceof Interval) {
        w.u8(V_INTERVAL);
        w.varInt32(d.months);
        w.varInt32(d.days);
        w.f64LE(d.micros);
      } else if (d instanceof Jsonb) {
        w.u8(V_JSONB);
        const text = JSON.stringify(d.value);
        w.varUint(Buffer.byteLength(text, 'utf8'));
        w.utf8(text);
      } else if (d instanceof Record) {
        w.u8(V_RECORD);
        w.varUint(d.fields.length);
        for (let i = 0; i < d.fields.length; i++) writeDatum(d.fields[i]!);
      } else throw new Error(`encodeRow: unsupported datum ${String(d)}`);
      return;
    default:
      throw new Error(`encodeRow: unsupported datum ${String(d)}`);
  }
}

function writeAscii(s: string): void {
  w.varUint(s.length);
  w.utf8(s);
}

function writeNumeric(n: Numeric): void {
  if (n.special !== undefined) {
    w.u8(V_NUMERIC_SPECIAL);
    w.u8(n.special === 'nan' ? 0 : n.special === 'inf' ? 1 : 2);
    return;
  }
  const u = n.unscaled;
  if (u >= -0x40000000n && u < 0x40000000n) {
    w.u8(V_NUMERIC_SMALL);
    w.varUint(n.scale);
    w.varInt32(Number(u));
  } else {
    w.u8(V_NUMERIC_LARGE);
    w.varUint(n.scale);
    writeAscii(u.toString());
  }
}

// ---- decoding ----
// Module-level cursor: decoding never calls out to code that could re-enter it.

let buf: Uint8Array = new Uint8Array(0);
/** `buf` as a Buffer, made on the first string that needs it. */
let nodeBuf: Buffer | null = null;
let pos = 0;
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(1);
const scratch = new Uint8Array(f64.buffer);
const scratch64 = new Uint8Array(i64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeRow(bytes: Uint8Array): Row {
  const row = decodeFirstRow(bytes);
  if (pos !== bytes.length) throw new Error('decodeRow: trailing bytes');
  return row;
}

/** The first row of a value, ignoring what follows it (a trailer: `encodeRowAfterWithTrailerOffHeap`). */
export function decodeFirstRow(bytes: Uint8Array): Row {
  buf = bytes;
  nodeBuf = Buffer.isBuffer(bytes) ? bytes : null;
  pos = 0;
  const n = readVarUint();
  const row: Row = new Array(n);
  for (let i = 0; i < n; i++) row[i] = readDatum();
  return row;
}

/** The first row of a value and its trailer (null when the value holds the row only). */
export function decodeRowTrailer(bytes: Uint8Array): [row: Row, trailer: Row | null] {
  const rows = decodeRows(bytes);
  if (rows.length > 2) throw new Error('decodeRowTrailer: more than a row and a trailer');
  return [rows[0]!, rows[1] ?? null];
}

/** The rows of concatenated encodings (`encodeRowsAfter`; one `encodeRow` is a list of one). */
export function decodeRows(bytes: Uint8Array): Row[] {
  buf = bytes;
  nodeBuf = Buffer.isBuffer(bytes) ? bytes : null;
  pos = 0;
  const out: Row[] = [];
  while (pos < bytes.length) {
    const n = readVarUint();
    const row: Row = new Array(n);
    for (let i = 0; i < n; i++) row[i] = readDatum();
    out.push(row);
  }
  if (pos !== bytes.length) throw new Error('decodeRow: truncated value');
  return out;
}

/** Decodes what encodeDatum wrote. */
export function decodeDatum(bytes: Uint8Array): Datum {
  buf = bytes;
  nodeBuf = Buffer.isBuffer(bytes) ? bytes : null;
  pos = 0;
  return readDatum();
}

function readVarUint(): number {
  let b = buf[pos++]!;
  if (b < 0x80) return b;
  let result = b & 0x7f;
  let mul = 0x80;
  for (;;) {
    if (pos >= buf.length) throw new Error('decodeRow: truncated value');
    b = buf[pos++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) return result;
    mul *= 0x80;
  }
}

function readVarInt32(): number {
  const z = readVarUint();
  return (z >>> 1) ^ -(z & 1);
}

function readAscii(): string {
  const n = readVarUint();
  let s = '';
  for (let i = pos; i < pos + n; i++) s += String.fromCharCode(buf[i]!);
  pos += n;
  return s;
}

let scratchBuf = Buffer.allocUnsafeSlow(256);

/** UTF-8 bytes [pos, pos+n) as a string, via Buffer's native decoder (copying to a scratch Buffer when the input is a plain Uint8Array). */
function readString(n: number): string {
  if (pos + n > buf.length) throw new Error('decodeRow: truncated value');
  const start = pos;
  pos += n;
  if (n < 8) {
    let s = '';
    for (let i = start; i < start + n; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8Slow(start, n);
      s += String.fromCharCode(c);
    }
    return s;
  }
  if (nodeBuf !== null) return nodeBuf.toString('utf8', start, start + n);
  return utf8Slow(start, n);
}

function utf8Slow(start: number, n: number): string {
  if (nodeBuf !== null) return nodeBuf.toString('utf8', start, start + n);
  if (n > 4096) {
    nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    return nodeBuf.toString('utf8', start, start + n);
  }
  if (scratchBuf.length < n) scratchBuf = Buffer.allocUnsafeSlow(Math.max(n, scratchBuf.length * 2));
  const sb = scratchBuf;
  for (let i = 0; i < n; i++) sb[i] = buf[start + i]!;
  return sb.toString('utf8', 0, n);
}

function readF64(): number {
  if (pos + 8 > buf.length) throw new Error('decodeRow: truncated value');
  if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) scratch[i] = buf[pos + i]!;
  else for (let i = 0; i < 8; i++) scratch[7 - i] = buf[pos + i]!;
  pos += 8;
  return f64[0]!;
}

function readI64(): bigint {
  if (pos + 8 > buf.length) throw new Error('decodeRow: truncated value');
  if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) scratch64[i] = buf[pos + i]!;
  else for (let i = 0; i < 8; i++) scratch64[7 - i] = buf[pos + i]!;
  pos += 8;
  return i64[0]!;
}

function readDatum(): Datum {
  if (pos >= buf.length) throw new Error('decodeRow: truncated value');
  const tag = buf[pos++]!;
  switch (tag) {
    case V_NULL: return null;
    case V_FALSE: return false;
    case V_TRUE: return true;
    case V_INT: return readVarInt32();
    case V_FLOAT: return readF64();
    case V_INT64: return readI64();
    case V_BIGINT: return BigInt(readAscii());
    case V_STRING: {
      return readString(readVarUint());
    }
    case V_BYTES: {
      const n = readVarUint();
      if (pos + n > buf.length) throw new Error('decodeRow: truncated value');
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = buf[pos + i]!;
      pos += n;
      return b;
    }
    case V_NUMERIC_SMALL: {
      const scale = readVarUint();
      return new Numeric(BigInt(readVarInt32()), scale);
    }
    case V_NUMERIC_LARGE: {
      const scale = readVarUint();
      return new Numeric(BigInt(readAscii()), scale);
    }
    case V_NUMERIC_SPECIAL: {
      const k = buf[pos++];
      return k === 0 ? Numeric.NAN : k === 1 ? Numeric.INFINITY : Numeric.NEG_INFINITY;
    }
    case V_INTERVAL: {
      const months = readVarInt32();
      const days = readVarInt32();
      return new Interval(months, days, readF64());
    }
    case V_JSONB: {
      return new Jsonb(JSON.parse(readString(readVarUint())));
    }
    case V_ARRAY: {
      const n = readVarUint();
      const a: Datum[] = new Array(n);
      for (let i = 0; i < n; i++) a[i] = readDatum();
      return a;
    }
    case V_RECORD: {
      const n = readVarUint();
      const f: Datum[] = new Array(n);
      for (let i = 0; i < n; i++) f[i] = readDatum();
      return new Record(f);
    }
    default:
      throw new Error(`decodeRow: unknown tag ${tag}`);
  }
}
