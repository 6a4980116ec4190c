/**
 * binary-format: Postgres's binary send/recv representation of each type, as used by the wire
 * protocol when a client asks for format code 1 (Bind parameters and result columns).
 *
 * | type                 | wire                                                           |
 * |----------------------|----------------------------------------------------------------|
 * | bool                 | 1 byte                                                         |
 * | int2/int4/int8, oid  | big-endian two's complement (oid unsigned)                     |
 * | float4/float8        | IEEE 754 big-endian                                            |
 * | numeric              | int16 ndigits, weight, sign, dscale + ndigits base-10000 int16 |
 * | text, varchar, char, json | UTF-8 bytes                                               |
 * | jsonb                | version byte 1 + the text form                                 |
 * | bytea                | the bytes                                                      |
 * | uuid                 | 16 bytes                                                       |
 * | date                 | int32 days since 2000-01-01 (our datum: days since 1970)       |
 * | time                 | int64 µs since midnight                                        |
 * | timestamp(tz)        | int64 µs since 2000-01-01 (our datum: µs since 1970)           |
 * | interval             | int64 µs, int32 days, int32 months                             |
 * | array                | int32 ndim, int32 hasnull, int32 element oid, (int32 size,     |
 * |                      | int32 lbound) per dim, then (int32 len or -1, bytes) each      |
 * | record               | int32 nfields, then (oid, int32 len or -1, bytes) each         |
 *
 * decodeBinary throws SqlError 22P03 on bytes that are not a valid value of the type.
 */
import { Interval, Jsonb, Record, type Datum } from './datum.js';
import { Numeric } from './numeric.js';
import { oidOf, typeOfOid } from './pg-oid.js';
import { SqlError, SqlState } from './sql-error.js';
import type { SqlType } from './sql-type.js';
import { formatDatum, parseDatum } from './text-format.js';
import { assertNever } from '../util/assert-never.js';

/** Days from 1970-01-01 to 2000-01-01. */
const EPOCH_DAYS = 10_957;
const EPOCH_MICROS = EPOCH_DAYS * 86_400_000_000;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

export function encodeBinary(d: Datum, t: SqlType): Uint8Array {
  if (d === null) throw new Error('encodeBinary: null has no binary form (send length -1)');
  switch (t.kind) {
    case 'bool': return Buffer.from([d ? 1 : 0]);
    case 'int2': return fixed(2, (b) => b.writeInt16BE(d as number));
    case 'int4': return fixed(4, (b) => b.writeInt32BE(d as number));
    case 'oid': return fixed(4, (b) => b.writeUInt32BE(d as number));
    case 'int8': return fixed(8, (b) => b.writeBigInt64BE(BigInt(d as bigint | number)));
    case 'float4': return fixed(4, (b) => b.writeFloatBE(d as number));
    case 'float8': return fixed(8, (b) => b.writeDoubleBE(d as number));
    case 'numeric': return encodeNumeric(d as Numeric);
    case 'text': case 'varchar': case 'char': case 'json': case 'unknown':
      return Buffer.from(d as string, 'utf8');
    case 'jsonb': return Buffer.concat([Buffer.from([1]), Buffer.from(formatDatum(d, t), 'utf8')]);
    case 'bytea': return d as Uint8Array;
    case 'uuid': return Buffer.from((d as string).replace(/-/g, ''), 'hex');
    case 'date': {
      const v = d as number;
      return fixed(4, (b) => b.writeInt32BE(v === Infinity ? INT32_MAX : v === -Infinity ? INT32_MIN : v - EPOCH_DAYS));
    }
    case 'time': return fixed(8, (b) => b.writeBigInt64BE(BigInt(d as number)));
    case 'timestamp': case 'timestamptz': {
      const v = d as number;
      const wire = v === Infinity ? INT64_MAX : v === -Infinity ? INT64_MIN : BigInt(v - EPOCH_MICROS);
      return fixed(8, (b) => b.writeBigInt64BE(wire));
    }
    case 'interval': {
      const iv = d as Interval;
      return fixed(16, (b) => {
        b.writeBigInt64BE(BigInt(iv.micros), 0);
        b.writeInt32BE(iv.days, 8);
        b.writeInt32BE(iv.months, 12);
      });
    }
    case 'array': return encodeArray(d as Datum[], t.element);
    case 'record': return encodeRecord(d as Record, t.fields);
    default: return assertNever(t, 'type');
  }
}

export function decodeBinary(bytes: Uint8Array, t: SqlType): Datum {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (t.kind) {
    case 'bool': size(b, 1, t); return b[0] !== 0;
    case 'int2': size(b, 2, t); return b.readInt16BE(0);
    case 'int4': size(b, 4, t); return b.readInt32BE(0);
    case 'oid': size(b, 4, t); return b.readUInt32BE(0);
    case 'int8': size(b, 8, t); return b.readBigInt64BE(0);
    case 'float4': size(b, 4, t); return b.readFloatBE(0);
    case 'float8': size(b, 8, t); return b.readDoubleBE(0);
    case 'numeric': return decodeNumeric(b);
    case 'text': case 'varchar': case 'char': case 'json': case 'unknown':
      return utf8(b);
    case 'jsonb':
      if (b.length < 1 || b[0] !== 1) throw bad(`unsupported jsonb version number ${b[0] ?? 0}`);
      return parseDatum(utf8(b.subarray(1)), t);
    case 'bytea': return new Uint8Array(b);
    case 'uuid': {
      size(b, 16, t);
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    case 'date': {
      size(b, 4, t);
      const v = b.readInt32BE(0);
      return v === INT32_MAX ? Infinity : v === INT32_MIN ? -Infinity : v + EPOCH_DAYS;
    }
    case 'time': size(b, 8, t); return Number(b.readBigInt64BE(0));
    case 'timestamp': case 'timestamptz': {
      size(b, 8, t);
      const v = b.readBigInt64BE(0);
      if (v === INT64_MAX) return Infinity;
      if (v === INT64_MIN) return -Infinity;
      const micros = v + BigInt(EPOCH_MICROS);
      if (micros > BigInt(Number.MAX_SAFE_INTEGER) || micros < BigInt(-Number.MAX_SAFE_INTEGER)) {
        throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
      }
      return Number(micros);
    }
    case 'interval':
      size(b, 16, t);
      return new Interval(b.readInt32BE(12), b.readInt32BE(8), Number(b.readBigInt64BE(0)));
    case 'array': return decodeArray(b, t.element);
    case 'record': return decodeRecord(b, t.fields);
    default: return assertNever(t, 'type');
  }
}

function fixed(n: number, write: (b: Buffer) => void): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  write(b);
  return b;
}

function bad(message: string): SqlError {
  return new SqlError(SqlState.invalidBinaryRepresentation, message);
}

function size(b: Buffer, n: number, t: SqlType): void {
  if (b.length !== n) throw bad(`incorrect binary data format for type ${t.kind}: expected ${n} bytes, got ${b.length}`);
}

function utf8(b: Buffer): string {
  const s = b.toString('utf8');
  if (s.includes('\uFFFD') && !Buffer.from(s, 'utf8').equals(b)) throw bad('invalid byte sequence for encoding "UTF8"');
  return s;
}

// ---- numeric: base-10000 digits ----

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;

function encodeNumeric(n: Numeric): Uint8Array {
  const header = (ndigits: number, weight: number, sign: number, dscale: number): Buffer => {
    const b = Buffer.allocUnsafe(8 + ndigits * 2);
    b.writeInt16BE(ndigits, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(sign, 4);
    b.writeInt16BE(dscale, 6);
    return b;
  };
  if (n.special === 'nan') return header(0, 0, NUMERIC_NAN, 0);
  if (n.special === 'inf') return header(0, 0, NUMERIC_PINF, 0);
  if (n.special === '-inf') return header(0, 0, NUMERIC_NINF, 0);
  const neg = n.unscaled < 0n;
  let s = (neg ? -n.unscaled : n.unscaled).toString();
  if (s.length <= n.scale) s = '0'.repeat(n.scale - s.length + 1) + s;
  const intPart = s.slice(0, s.length - n.scale);
  const fracPart = s.slice(s.length - n.scale);
  const intPadded = '0'.repeat((4 - (intPart.length % 4)) % 4) + intPart;
  const fracPadded = fracPart + '0'.repeat((4 - (fracPart.length % 4)) % 4);
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let start = 0;
  while (start < groups.length && groups[start] === 0) {
    start++;
    weight--;
  }
  let end = groups.length;
  while (end > start && groups[end - 1] === 0) end--;
  const digits = groups.slice(start, end);
  if (digits.length === 0) weight = 0;
  const b = header(digits.length, weight, neg && digits.length > 0 ? NUMERIC_NEG : NUMERIC_POS, n.scale);
  for (let i = 0; i < digits.length; i++) b.writeInt16BE(digits[i]!, 8 + i * 2);
  return b;
}

function decodeNumeric(b: Buffer): Numeric {
  if (b.length < 8) throw bad('insufficient data left in message');
  const ndigits = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (ndigits < 0 || b.length !== 8 + ndigits * 2) throw bad('invalid length in external "numeric" value');
  if (sign === NUMERIC_NAN) return new Numeric(0n, 0, 'nan');
  if (sign === NUMERIC_PINF) return new Numeric(0n, 0, 'inf');
  if (sign === NUMERIC_NINF) return new Numeric(0n, 0, '-inf');
  if (sign !== NUMERIC_POS && sign !== NUMERIC_NEG) throw bad('invalid sign in external "numeric" value');
  if (dscale < 0) throw bad('invalid scale in external "numeric" value');
  let v = 0n;
  for (let i = 0; i < ndigits; i++) {
    const d = b.readInt16BE(8 + i * 2);
    if (d < 0 || d > 9999) throw bad('invalid digit in external "numeric" value');
    v = v * 10000n + BigInt(d);
  }
  // value = v * 10000^(weight - ndigits + 1); unscaled = value * 10^dscale
  const exp10 = 4 * (weight - ndigits + 1) + dscale;
  const unscaled = exp10 >= 0 ? v * 10n ** BigInt(exp10) : v / 10n ** BigInt(-exp10);
  return new Numeric(sign === NUMERIC_NEG ? -unscaled : unscaled, dscale);
}

// ---- arrays and records ----

function encodeArray(items: Datum[], element: SqlType): Uint8Array {
  // Arrays of arrays are multi-dimensional: find the leaf type and the dimensions.
  const dims: number[] = [];
  let leaf = element;
  let probe: Datum = items;
  dims.push(items.length);
  while (leaf.kind === 'array') {
    leaf = leaf.element;
    const first: Datum | undefined = (probe as Datum[])[0];
    probe = Array.isArray(first) ? first : [];
    dims.push((probe as Datum[]).length);
  }
  const leaves: Datum[] = [];
  const flatten = (xs: Datum[], depth: number): void => {
    if (xs.length !== dims[depth]) {
      throw new SqlError(SqlState.invalidParameterValue, 'multidimensional arrays must have array expressions with matching dimensions');
    }
    for (const x of xs) {
      if (depth + 1 < dims.length) flatten((x ?? []) as Datum[], depth + 1);
      else leaves.push(x);
    }
  };
  flatten(items, 0);
  const ndim = items.length === 0 || dims.includes(0) ? 0 : dims.length;
  const parts: Buffer[] = [];
  const head = Buffer.allocUnsafe(12 + ndim * 8);
  head.writeInt32BE(ndim, 0);
  head.writeInt32BE(leaves.includes(null) ? 1 : 0, 4);
  head.writeUInt32BE(oidOf(leaf), 8);
  for (let i = 0; i < ndim; i++) {
    head.writeInt32BE(dims[i]!, 12 + i * 8);
    head.writeInt32BE(1, 16 + i * 8);
  }
  parts.push(head);
  if (ndim > 0) for (const x of leaves) pushValue(parts, x, leaf);
  return Buffer.concat(parts);
}

function pushValue(parts: Buffer[], d: Datum, t: SqlType): void {
  const len = Buffer.allocUnsafe(4);
  if (d === null) {
    len.writeInt32BE(-1);
    parts.push(len);
    return;
  }
  const v = encodeBinary(d, t);
  len.writeInt32BE(v.length);
  parts.push(len, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
}

function decodeArray(b: Buffer, element: SqlType): Datum[] {
  if (b.length < 12) throw bad('insufficient data left in message');
  const ndim = b.readInt32BE(0);
  if (ndim < 0 || ndim > 6) throw bad(`invalid number of dimensions: ${ndim}`);
  let leaf = element;
  while (leaf.kind === 'array') leaf = leaf.element;
  if (b.length < 12 + ndim * 8) throw bad('insufficient data left in message');
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(b.readInt32BE(12 + i * 8));
  let pos = 12 + ndim * 8;
  const readLeaf = (): Datum => {
    if (pos + 4 > b.length) throw bad('insufficient data left in message');
    const len = b.readInt32BE(pos);
    pos += 4;
    if (len === -1) return null;
    if (len < 0 || pos + len > b.length) throw bad('insufficient data left in message');
    const v = decodeBinary(b.subarray(pos, pos + len), leaf);
    pos += len;
    return v;
  };
  const build = (depth: number): Datum[] => {
    const out: Datum[] = [];
    for (let i = 0; i < dims[depth]!; i++) out.push(depth + 1 < ndim ? build(depth + 1) : readLeaf());
    return out;
  };
  const result = ndim === 0 ? [] : build(0);
  if (pos !== b.length) throw bad('incorrect binary data format in array');
  return result;
}

function encodeRecord(r: Record, fields: { name: string; type: SqlType }[]): Uint8Array {
  const parts: Buffer[] = [];
  const head = Buffer.allocUnsafe(4);
  head.writeInt32BE(r.fields.length);
  parts.push(head);
  r.fields.forEach((d, i) => {
    const t = fields[i]?.type ?? { kind: 'text' };
    const oid = Buffer.allocUnsafe(4);
    oid.writeUInt32BE(oidOf(t));
    parts.push(oid);
    pushValue(parts, d, t);
  });
  return Buffer.concat(parts);
}

function decodeRecord(b: Buffer, fields: { name: string; type: SqlType }[]): Record {
  if (b.length < 4) throw bad('insufficient data left in message');
  const n = b.readInt32BE(0);
  if (n < 0 || (fields.length > 0 && n !== fields.length)) throw bad(`wrong number of columns: ${n}, expected ${fields.length}`);
  let pos = 4;
  const out: Datum[] = [];
  for (let i = 0; i < n; i++) {
    if (pos + 8 > b.length) throw bad('insufficient data left in message');
    const oid = b.readUInt32BE(pos);
    const len = b.readInt32BE(pos + 4);
    pos += 8;
    if (len === -1) {
      out.push(null);
      continue;
    }
    if (len < 0 || pos + len > b.length) throw bad('insufficient data left in message');
    out.push(decodeBinary(b.subarray(pos, pos + len), fields[i]?.type ?? typeOfOid(oid) ?? { kind: 'text' }));
    pos += len;
  }
  if (pos !== b.length) throw bad('incorrect binary data format in record');
  return new Record(out);
}
