/**
 * casts.ts owns the table of concrete casts between type kinds, each a FunctionImpl with id
 * `cast_<from>_<to>` and the context in which Postgres applies it (pg_cast.castcontext):
 *
 *   - numeric tower: int2 → int4 → int8 → numeric → float4 → float8 implicit, the reverse
 *     assignment (range-checked: 22003; float → int rounds half to even like rint, numeric →
 *     int half away from zero; float → numeric keeps 15 (float8) or 6 (float4) significant digits);
 *   - int4 ↔ bool explicit; int2/int4/int8 → oid implicit, oid → int4/int8 assignment;
 *     int2/int4/int8 ↔ bytea explicit (big-endian, Postgres 18);
 *   - string types: text, varchar ↔ char implicit (char → text / varchar drops trailing spaces);
 *   - date → timestamp → timestamptz implicit, back assignment (timestamptz in the session zone);
 *     timestamp[tz] → time assignment, time ↔ interval;
 *   - json ↔ jsonb assignment; jsonb → bool, numeric, int2/4/8, float4/8 explicit;
 *   - I/O conversion for every other pair: any → text/varchar/char assignment (text output),
 *     text/varchar/char → any explicit (text input), unknown → any implicit (a literal).
 *
 * Typmods (numeric(p,s), varchar(n), char(n)) and arrays are applied by cast-lookup.ts.
 */
import { Interval, Jsonb, type Datum } from '../../types/datum.js';
import { Numeric } from '../../types/numeric.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T, typeName, type SqlType, type SqlTypeKind } from '../../types/sql-type.js';
import { formatDatum, parseDatum } from '../../types/text-format.js';
import { localToUtc, USECS_PER_DAY, utcToLocal } from './datetime-util.js';
import { checkFloat4, checkInt2, checkInt4, fn, outOfRange, type Fn } from './define.js';
import { rint } from './math.js';

export type CastContext = 'implicit' | 'assignment' | 'explicit';

export interface CastEntry {
  readonly from: SqlTypeKind;
  readonly to: SqlTypeKind;
  readonly context: CastContext;
  readonly impl: Fn;
}

const TYPES: Partial<Record<SqlTypeKind, SqlType>> = {
  bool: T.bool, int2: T.int2, int4: T.int4, int8: T.int8, float4: T.float4, float8: T.float8, numeric: T.numeric,
  text: T.text, varchar: T.varchar, char: { kind: 'char' }, bytea: T.bytea, date: T.date, time: T.time,
  timestamp: T.timestamp, timestamptz: T.timestamptz, interval: T.interval, json: T.json, jsonb: T.jsonb,
  uuid: T.uuid, oid: T.oid, unknown: T.unknown,
};

export function kindType(k: SqlTypeKind): SqlType {
  const t = TYPES[k];
  if (!t) throw new Error(`no plain type for kind ${k}`);
  return t;
}

const entries: CastEntry[] = [];

function cast(from: SqlTypeKind, to: SqlTypeKind, context: CastContext, f: (d: Datum, zone: string) => Datum): void {
  entries.push({ from, to, context, impl: fn(`cast_${from}_${to}`, 'cast', [kindType(from)], kindType(to), ([d], ctx) => f(d!, ctx.timeZone)) });
}

// ---- numbers ----

const INT8_LIMIT = 2 ** 63;

function floatToInt4(v: number, check: (v: number) => number): number {
  const r = rint(v);
  if (Number.isNaN(r)) return check(NaN);
  return check(r) + 0;
}

function floatToInt8(v: number): bigint {
  const r = rint(v);
  if (Number.isNaN(r) || r < -INT8_LIMIT || r >= INT8_LIMIT) throw outOfRange('bigint');
  return BigInt(r);
}

function numericToInt(n: Numeric, lo: bigint, hi: bigint, what: string): bigint {
  const v = n.toBigIntRound();
  if (v < lo || v > hi) throw outOfRange(what);
  return v;
}

/** float → numeric as Postgres: %.15g (float8) or %.6g (float4), then trailing zeros dropped. */
export function floatToNumeric(v: number, digits: number): Numeric {
  if (!Number.isFinite(v)) return Numeric.fromNumber(v);
  if (v === 0) return Numeric.ZERO;
  return Numeric.parse(v.toPrecision(digits)).normalize();
}

const num = (d: Datum): number => d as number;
const big = (d: Datum): bigint => d as bigint;
const numeric = (d: Datum): Numeric => d as Numeric;

const I2 = [-32768n, 32767n] as const;
const I4 = [-2147483648n, 2147483647n] as const;
const I8 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

cast('int2', 'int4', 'implicit', (d) => d);
cast('int2', 'int8', 'implicit', (d) => BigInt(num(d)));
cast('int2', 'float4', 'implicit', (d) => d);
cast('int2', 'float8', 'implicit', (d) => d);
cast('int2', 'numeric', 'implicit', (d) => Numeric.fromNumber(num(d)));
cast('int4', 'int2', 'assignment', (d) => checkInt2(num(d)));
cast('int4', 'int8', 'implicit', (d) => BigInt(num(d)));
cast('int4', 'float4', 'implicit', (d) => Math.fround(num(d)));
cast('int4', 'float8', 'implicit', (d) => d);
cast('int4', 'numeric', 'implicit', (d) => Numeric.fromNumber(num(d)));
cast('int8', 'int2', 'assignment', (d) => {
  if (big(d) < I2[0] || big(d) > I2[1]) throw outOfRange('smallint');
  return Number(d);
});
cast('int8', 'int4', 'assignment', (d) => {
  if (big(d) < I4[0] || big(d) > I4[1]) throw outOfRange('integer');
  return Number(d);
});
cast('int8', 'float4', 'implicit', (d) => Math.fround(Number(d)));
cast('int8', 'float8', 'implicit', (d) => Number(d));
cast('int8', 'numeric', 'implicit', (d) => Numeric.fromBigInt(big(d)));
cast('float4', 'int2', 'assignment', (d) => floatToInt4(num(d), checkInt2));
cast('float4', 'int4', 'assignment', (d) => floatToInt4(num(d), checkInt4));
cast('float4', 'int8', 'assignment', (d) => floatToInt8(num(d)));
cast('float4', 'float8', 'implicit', (d) => d);
cast('float4', 'numeric', 'assignment', (d) => floatToNumeric(num(d), 6));
cast('float8', 'int2', 'assignment', (d) => floatToInt4(num(d), checkInt2));
cast('float8', 'int4', 'assignment', (d) => floatToInt4(num(d), checkInt4));
cast('float8', 'int8', 'assignment', (d) => floatToInt8(num(d)));
cast('float8', 'float4', 'assignment', (d) => checkFloat4(num(d), num(d)));
cast('float8', 'numeric', 'assignment', (d) => floatToNumeric(num(d), 15));
cast('numeric', 'int2', 'assignment', (d) => Number(numericToInt(numeric(d), I2[0], I2[1], 'smallint')));
cast('numeric', 'int4', 'assignment', (d) => Number(numericToInt(numeric(d), I4[0], I4[1], 'integer')));
cast('numeric', 'int8', 'assignment', (d) => numericToInt(numeric(d), I8[0], I8[1], 'bigint'));
cast('numeric', 'float4', 'implicit', (d) => checkFloat4(numeric(d).toNumber()));
cast('numeric', 'float8', 'implicit', (d) => numeric(d).toNumber());
cast('int4', 'bool', 'explicit', (d) => num(d) !== 0);
cast('bool', 'int4', 'explicit', (d) => (d ? 1 : 0));
cast('int2', 'oid', 'implicit', (d) => num(d) >>> 0);
cast('int4', 'oid', 'implicit', (d) => num(d) >>> 0);
cast('int8', 'oid', 'implicit', (d) => {
  if (big(d) < I4[0] || big(d) > 4294967295n) throw new SqlError(SqlState.numericValueOutOfRange, 'OID out of range');
  return Number(big(d) < 0n ? big(d) + 4294967296n : big(d));
});
cast('oid', 'int4', 'assignment', (d) => num(d) | 0);
cast('oid', 'int8', 'assignment', (d) => BigInt(num(d)));

// int2 / int4 / int8 ↔ bytea (Postgres 18): big-endian two's complement; shorter bytea is sign-less
// zero-extended, longer is out of range.
function intToBytea(v: bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let u = BigInt.asUintN(bytes * 8, v);
  for (let i = bytes - 1; i >= 0; i--, u >>= 8n) out[i] = Number(u & 0xffn);
  return out;
}

function byteaToInt(b: Uint8Array, bytes: number, what: string): bigint {
  if (b.length > bytes) throw outOfRange(what);
  let u = 0n;
  for (const x of b) u = (u << 8n) | BigInt(x);
  return b.length === bytes ? BigInt.asIntN(bytes * 8, u) : u;
}

cast('int2', 'bytea', 'explicit', (d) => intToBytea(BigInt(num(d)), 2));
cast('int4', 'bytea', 'explicit', (d) => intToBytea(BigInt(num(d)), 4));
cast('int8', 'bytea', 'explicit', (d) => intToBytea(big(d), 8));
cast('bytea', 'int2', 'explicit', (d) => Number(byteaToInt(d as Uint8Array, 2, 'smallint')));
cast('bytea', 'int4', 'explicit', (d) => Number(byteaToInt(d as Uint8Array, 4, 'integer')));
cast('bytea', 'int8', 'explicit', (d) => byteaToInt(d as Uint8Array, 8, 'bigint'));

// ---- strings ----

const rtrim = (d: Datum): string => (d as string).replace(/ +$/, '');
cast('text', 'varchar', 'implicit', (d) => d);
cast('varchar', 'text', 'implicit', (d) => d);
cast('text', 'char', 'implicit', (d) => d);
cast('varchar', 'char', 'implicit', (d) => d);
cast('char', 'text', 'implicit', rtrim);
cast('char', 'varchar', 'implicit', rtrim);

// ---- dates and times ----

const day = (ts: number): number => Math.floor(ts / USECS_PER_DAY);
const timeOf = (ts: number): number => ts - day(ts) * USECS_PER_DAY;
function finiteTime(ts: number, f: (ts: number) => number): number {
  if (!Number.isFinite(ts)) throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
  return f(ts);
}

cast('date', 'timestamp', 'implicit', (d) => num(d) * USECS_PER_DAY);
cast('date', 'timestamptz', 'implicit', (d, zone) => localToUtc(num(d) * USECS_PER_DAY, zone));
cast('timestamp', 'date', 'assignment', (d) => day(num(d)));
cast('timestamptz', 'date', 'assignment', (d, zone) => day(utcToLocal(num(d), zone)));
cast('timestamp', 'timestamptz', 'implicit', (d, zone) => localToUtc(num(d), zone));
cast('timestamptz', 'timestamp', 'assignment', (d, zone) => utcToLocal(num(d), zone));
cast('timestamp', 'time', 'assignment', (d) => finiteTime(num(d), timeOf));
cast('timestamptz', 'time', 'assignment', (d, zone) => finiteTime(num(d), (ts) => timeOf(utcToLocal(ts, zone))));
cast('time', 'interval', 'implicit', (d) => new Interval(0, 0, num(d)));
cast('interval', 'time', 'assignment', (d) => {
  const m = (d as Interval).micros % USECS_PER_DAY;
  return m < 0 ? m + USECS_PER_DAY : m;
});

// ---- json ----

cast('json', 'jsonb', 'assignment', (d) => parseDatum(d as string, T.jsonb));
cast('jsonb', 'json', 'assignment', (d) => formatDatum(d, T.jsonb));

/** A jsonb scalar of the wanted JSON type; JSON null casts to SQL NULL (Postgres 17+). */
function jsonbScalar(d: Datum, to: SqlTypeKind, want: 'number' | 'boolean'): number | boolean | null {
  const v = (d as Jsonb).value;
  if (v === null) return null;
  if (typeof v === want) return v as number | boolean;
  const what = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
  throw new SqlError(SqlState.invalidParameterValue, `cannot cast jsonb ${what} to type ${typeName(kindType(to))}`);
}

function jsonbNumber<R>(d: Datum, to: SqlTypeKind, f: (n: Numeric) => R): R | null {
  const v = jsonbScalar(d, to, 'number');
  return v === null ? null : f(Numeric.fromNumber(v as number));
}
cast('jsonb', 'bool', 'explicit', (d) => jsonbScalar(d, 'bool', 'boolean'));
cast('jsonb', 'numeric', 'explicit', (d) => jsonbNumber(d, 'numeric', (n) => n));
cast('jsonb', 'int2', 'explicit', (d) => jsonbNumber(d, 'int2', (n) => Number(numericToInt(n, I2[0], I2[1], 'smallint'))));
cast('jsonb', 'int4', 'explicit', (d) => jsonbNumber(d, 'int4', (n) => Number(numericToInt(n, I4[0], I4[1], 'integer'))));
cast('jsonb', 'int8', 'explicit', (d) => jsonbNumber(d, 'int8', (n) => numericToInt(n, I8[0], I8[1], 'bigint')));
cast('jsonb', 'float4', 'explicit', (d) => {
  const v = jsonbScalar(d, 'float4', 'number');
  return v === null ? null : checkFloat4(v as number);
});
cast('jsonb', 'float8', 'explicit', (d) => jsonbScalar(d, 'float8', 'number'));

// ---- I/O conversions: every remaining pair through text ----

const STRING_KINDS: SqlTypeKind[] = ['text', 'varchar', 'char'];
const IO_KINDS: SqlTypeKind[] = [
  'bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'bytea', 'date', 'time', 'timestamp', 'timestamptz',
  'interval', 'json', 'jsonb', 'uuid', 'oid',
];

for (const k of IO_KINDS) {
  const t = kindType(k);
  for (const s of STRING_KINDS) {
    // bool → text is booltext ('true'), not the output function ('t').
    cast(k, s, 'assignment', k === 'bool' ? (d) => (d ? 'true' : 'false') : (d) => formatDatum(d, t));
    cast(s, k, 'explicit', (d) => parseDatum(s === 'char' ? rtrim(d) : (d as string), t));
  }
  cast('unknown', k, 'implicit', (d) => parseDatum(d as string, t));
}
for (const s of STRING_KINDS) cast('unknown', s, 'implicit', (d) => d);

export const CAST_ENTRIES: readonly CastEntry[] = entries;

const byPair = new Map<string, CastEntry>();
for (const e of entries) {
  const key = `${e.from}>${e.to}`;
  if (!byPair.has(key)) byPair.set(key, e);
}

/** The cast between two plain type kinds, if one exists. */
export function castEntry(from: SqlTypeKind, to: SqlTypeKind): CastEntry | undefined {
  return byPair.get(`${from}>${to}`);
}
