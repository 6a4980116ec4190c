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
import { ByteWriter, asBuffer, readUtf8 } from './byte-writer.js';

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
  w.varUint(row.length);
  for (let i = 0; i < row.length; i++) writeDatum(row[i]!);
  return w.finish();
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
        w.varInt32(d);
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
          const tmp = w.buf.slice(at + 1, at + 1 + bytes);
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

let buf: Buffer = Buffer.alloc(0);
let view: DataView = new DataView(new ArrayBuffer(0));
let pos = 0;

export function decodeRow(bytes: Uint8Array): Row {
  const saved = [buf, view, pos] as const;
  buf = asBuffer(bytes);
  view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  pos = 0;
  try {
    const n = readVarUint();
    const row: Row = new Array(n);
    for (let i = 0; i < n; i++) row[i] = readDatum();
    return row;
  } finally {
    [buf, view, pos] = saved;
  }
}

/** Decodes what encodeDatum wrote. */
export function decodeDatum(bytes: Uint8Array): Datum {
  const saved = [buf, view, pos] as const;
  buf = asBuffer(bytes);
  view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  pos = 0;
  try {
    return readDatum();
  } finally {
    [buf, view, pos] = saved;
  }
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
  const s = buf.toString('latin1', pos, pos + n);
  pos += n;
  return s;
}

function readDatum(): Datum {
  if (pos >= buf.length) throw new Error('decodeRow: truncated value');
  const tag = buf[pos++]!;
  switch (tag) {
    case V_NULL: return null;
    case V_FALSE: return false;
    case V_TRUE: return true;
    case V_INT: return readVarInt32();
    case V_FLOAT: {
      const x = view.getFloat64(pos, true);
      pos += 8;
      return x;
    }
    case V_INT64: {
      const x = view.getBigInt64(pos, true);
      pos += 8;
      return x;
    }
    case V_BIGINT: return BigInt(readAscii());
    case V_STRING: {
      const n = readVarUint();
      const s = readUtf8(buf, pos, pos + n);
      pos += n;
      return s;
    }
    case V_BYTES: {
      const n = readVarUint();
      const b = new Uint8Array(n);
      b.set(buf.subarray(pos, pos + n));
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
      const micros = view.getFloat64(pos, true);
      pos += 8;
      return new Interval(months, days, micros);
    }
    case V_JSONB: {
      const n = readVarUint();
      const text = buf.toString('utf8', pos, pos + n);
      pos += n;
      return new Jsonb(JSON.parse(text));
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
