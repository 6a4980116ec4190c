/**
 * compare.ts owns the SQL ordering of datums, as Postgres ORDER BY sorts them in the "C"
 * collation: `compareDatums` (a total order over two same-typed non-null values),
 * `compareNullable` (NULLS FIRST / LAST) and `datumsEqual` (equality for grouping and DISTINCT).
 *
 * | JS value    | order                                                                     |
 * |-------------|---------------------------------------------------------------------------|
 * | number      | numeric; -0 = 0; NaN equals NaN and is above +Infinity (Postgres float)   |
 * | bigint      | numeric                                                                   |
 * | string      | by Unicode code point (= UTF-8 bytes, = "C" collation)                     |
 * | boolean     | false < true                                                              |
 * | Numeric     | by value, scale ignored; -Infinity < finite < Infinity < NaN              |
 * | Uint8Array  | bytewise, shorter prefix first                                            |
 * | Interval    | by total span (a month is 30 days), as Postgres's interval_cmp            |
 * | Jsonb       | Postgres jsonb order: object > array > boolean > number > string > null   |
 * | Datum[]     | elementwise (NULL elements last), then shorter first                      |
 * | Record      | fieldwise (NULL fields last)                                              |
 *
 * key-codec.ts must agree with this order byte for byte (its property test checks it).
 */
import { Interval, Jsonb, Record, type Datum, type JsonValue } from './datum.js';
import { Numeric } from './numeric.js';

export function compareDatums(a: Datum, b: Datum): number {
  switch (typeof a) {
    case 'number':
      if (typeof b === 'number') return compareFloat(a, b);
      if (typeof b === 'bigint') return -compareBigintNumber(b, a);
      break;
    case 'string':
      if (typeof b === 'string') return compareStrings(a, b);
      break;
    case 'bigint':
      if (typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
      if (typeof b === 'number') return compareBigintNumber(a, b);
      break;
    case 'boolean':
      if (typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
      break;
    case 'object':
      if (a === null || b === null) return compareNullable(a, b, false);
      if (a instanceof Numeric) {
        if (b instanceof Numeric) return a.cmp(b);
      } else if (a instanceof Uint8Array) {
        if (b instanceof Uint8Array) return Buffer.compare(a, b);
      } else if (a instanceof Interval) {
        if (b instanceof Interval) return compareIntervals(a, b);
      } else if (a instanceof Jsonb) {
        if (b instanceof Jsonb) return compareJson(a.value, b.value);
      } else if (a instanceof Record) {
        if (b instanceof Record) return compareLists(a.fields, b.fields);
      } else if (Array.isArray(a)) {
        if (Array.isArray(b)) return compareLists(a, b);
      }
      break;
    default:
      break;
  }
  // Different kinds: not a SQL comparison, but keep the order total and deterministic.
  const ka = kindRank(a);
  const kb = kindRank(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** compareDatums extended to NULLs: NULL sorts first or last. */
export function compareNullable(a: Datum, b: Datum, nullsFirst: boolean): number {
  if (a === null) return b === null ? 0 : nullsFirst ? -1 : 1;
  if (b === null) return nullsFirst ? 1 : -1;
  return compareDatums(a, b);
}

/** Equality as GROUP BY and DISTINCT see it: NULL equals NULL, NaN equals NaN, 1.0 = 1.00, -0 = 0. */
export function datumsEqual(a: Datum, b: Datum): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return compareDatums(a, b) === 0;
}

/** Postgres float order: NaN = NaN, NaN above everything else; -0 = 0. */
export function compareFloat(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

/** Strings by Unicode code point (the order of their UTF-8 bytes). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      // UTF-16 code units order surrogates (supplementary code points) below U+E000..U+FFFF.
      if (ca >= 0xd800 && cb >= 0xd800) {
        ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
        cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
      }
      return ca < cb ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareBigintNumber(a: bigint, b: number): number {
  if (b !== b) return -1;
  if (b === Infinity) return -1;
  if (b === -Infinity) return 1;
  const bi = BigInt(Math.trunc(b));
  if (a !== bi) return a < bi ? -1 : 1;
  const frac = b - Math.trunc(b);
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

const DAY_MICROS = 86_400_000_000;

export function compareIntervals(a: Interval, b: Interval): number {
  const ta = (a.months * 30 + a.days) * DAY_MICROS + a.micros;
  const tb = (b.months * 30 + b.days) * DAY_MICROS + b.micros;
  if (Math.abs(ta) < 2 ** 52 && Math.abs(tb) < 2 ** 52) return ta < tb ? -1 : ta > tb ? 1 : 0;
  const xa = intervalSpan(a);
  const xb = intervalSpan(b);
  return xa < xb ? -1 : xa > xb ? 1 : 0;
}

/** The exact total span of an interval in microseconds (a month is 30 days). */
export function intervalSpan(i: Interval): bigint {
  return (BigInt(i.months) * 30n + BigInt(i.days)) * BigInt(DAY_MICROS) + BigInt(i.micros);
}

function compareLists(a: readonly Datum[], b: readonly Datum[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareNullable(a[i]!, b[i]!, false);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function kindRank(d: Datum): number {
  if (d === null) return 99;
  switch (typeof d) {
    case 'boolean': return 0;
    case 'number': return 1;
    case 'bigint': return 1;
    case 'string': return 3;
    default:
      if (d instanceof Numeric) return 2;
      if (d instanceof Uint8Array) return 4;
      if (d instanceof Interval) return 5;
      if (d instanceof Jsonb) return 6;
      if (d instanceof Record) return 8;
      return 7;
  }
}

/** Rank of a JSON value's kind in Postgres's jsonb order. */
function jsonRank(v: JsonValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'string': return 1;
    case 'number': return 2;
    case 'boolean': return 3;
    default: return Array.isArray(v) ? 4 : 5;
  }
}

/** Jsonb object keys in jsonb's storage order: shorter (in UTF-8 bytes) first, then bytewise. */
export function compareJsonKeys(a: string, b: string): number {
  if (a.length !== b.length || !isAscii(a) || !isAscii(b)) {
    const la = Buffer.byteLength(a, 'utf8');
    const lb = Buffer.byteLength(b, 'utf8');
    if (la !== lb) return la - lb;
  }
  return compareStrings(a, b);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The keys of a JSON object in jsonb's storage order (JS objects list integer-like keys first). */
export function jsonbKeys(o: { [key: string]: JsonValue }): string[] {
  return Object.keys(o).sort(compareJsonKeys);
}

/** Postgres's jsonb ordering (compareJsonbContainers), strings by code point. */
export function compareJson(a: JsonValue, b: JsonValue): number {
  const ra = jsonRank(a);
  const rb = jsonRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0: return 0;
    case 1: return compareStrings(a as string, b as string);
    case 2: return compareFloat(a as number, b as number);
    case 3: return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) {
        const c = compareJson(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = a as { [key: string]: JsonValue };
      const y = b as { [key: string]: JsonValue };
      const kx = jsonbKeys(x);
      const ky = jsonbKeys(y);
      if (kx.length !== ky.length) return kx.length < ky.length ? -1 : 1;
      for (let i = 0; i < kx.length; i++) {
        // Keys are visited in storage order but compared as strings (compareJsonbScalarValue).
        const ck = compareStrings(kx[i]!, ky[i]!);
        if (ck !== 0) return ck;
        const cv = compareJson(x[kx[i]!]!, y[ky[i]!]!);
        if (cv !== 0) return cv;
      }
      return 0;
    }
  }
}
