/**
 * text-format.ts owns Postgres's text input and output of every SQL type: `formatDatum` prints a
 * non-null datum as Postgres's output function does (DateStyle ISO, IntervalStyle postgres,
 * TimeZone UTC, extra_float_digits 1), and `parseDatum` reads Postgres's input syntax, throwing
 * SqlError 22P02 (bad syntax), 22003 (out of range), 22007/22008 (bad or out-of-range datetime).
 * `coerceNumeric` applies a numeric(p,s) typmod. Dates and times live in datetime-format.ts,
 * intervals in interval-format.ts, floats in float-format.ts, bytea and uuid in bytea-format.ts,
 * json and jsonb in json-format.ts.
 */
import { Interval, Jsonb, Record, type Datum, type JsonValue } from './datum.js';
import { Numeric } from './numeric.js';
import { SqlError, SqlState } from './sql-error.js';
import { typeName, type SqlType } from './sql-type.js';
import { formatDate, formatTime, formatTimestamp, parseDate, parseTime, parseTimestamp } from './datetime-format.js';
import { formatInterval, parseInterval } from './interval-format.js';
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from './float-format.js';
import { formatBytea, parseBytea, parseUuid } from './bytea-format.js';
import { formatJsonb, parseJson } from './json-format.js';

export { formatBytea, parseBytea, parseUuid, formatJsonb, parseJson };

export function formatDatum(d: Datum, t: SqlType): string {
  if (d === null) return '';
  switch (t.kind) {
    case 'bool': return d ? 't' : 'f';
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid': return String(d);
    case 'float4': return formatFloat4(d as number);
    case 'float8': return formatFloat8(d as number);
    case 'numeric': return d instanceof Numeric ? d.toString() : String(d);
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'json': return d as string;
    case 'bytea': return formatBytea(d as Uint8Array);
    case 'date': return formatDate(d as number);
    case 'time': return formatTime(d as number);
    case 'timestamp': return formatTimestamp(d as number, false);
    case 'timestamptz': return formatTimestamp(d as number, true);
    case 'interval': return formatInterval(d as Interval);
    case 'jsonb': return formatJsonb(d instanceof Jsonb ? d.value : (d as JsonValue));
    case 'array': return formatArray(d as Datum[], t.element);
    case 'record': return formatRecord(d as Record, t.fields);
    case 'unknown': return formatUnknown(d);
  }
}

export function parseDatum(s: string, t: SqlType): Datum {
  switch (t.kind) {
    case 'bool': return parseBool(s);
    case 'int2': return parseInt4(s, t, -32768, 32767);
    case 'int4': return parseInt4(s, t, -2147483648, 2147483647);
    case 'int8': return parseInt8(s);
    case 'oid': return parseOid(s);
    case 'float4': return parseFloat4(s);
    case 'float8': return parseFloat8(s);
    case 'numeric': return coerceNumeric(Numeric.parse(s), t.precision, t.scale);
    case 'text': return s;
    case 'varchar': return coerceVarchar(s, t.length, false);
    case 'char': return coerceChar(s, t.length, false);
    case 'bytea': return parseBytea(s);
    case 'date': return parseDate(s);
    case 'time': return parseTime(s);
    case 'timestamp': return parseTimestamp(s, false);
    case 'timestamptz': return parseTimestamp(s, true);
    case 'interval': return parseInterval(s);
    case 'json':
      parseJson(s);
      return s;
    case 'jsonb': return new Jsonb(parseJson(s));
    case 'uuid': return parseUuid(s);
    case 'array': return parseArray(s, t.element);
    case 'record': return parseRecord(s, t.fields);
    case 'unknown': return s;
  }
}

function syntax(t: SqlType | string, s: string): SqlError {
  const name = typeof t === 'string' ? t : typeName(t);
  return new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${name}: "${s}"`);
}

function outOfRange(t: SqlType, s: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `value "${s}" is out of range for type ${typeName(t)}`);
}

// ---- bool ----

export function parseBool(s: string): boolean {
  const v = s.trim().toLowerCase();
  if (v.length > 0) {
    if ('true'.startsWith(v) || 'yes'.startsWith(v) || v === '1' || (v.length >= 2 && v === 'on')) return true;
    if ('false'.startsWith(v) || 'no'.startsWith(v) || v === '0' || (v.length >= 2 && 'off'.startsWith(v))) return false;
  }
  throw syntax('boolean', s);
}

// ---- integers ----

const RE_INT = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/;

/** int2 and int4 (and their range). */
function parseInt4(s: string, t: SqlType, min: number, max: number): number {
  const m = RE_INT.exec(s);
  if (!m) throw syntax(t, s);
  const digits = m[2]!.includes('_') ? m[2]!.replace(/_/g, '') : m[2]!;
  const v = Number(m[1] + digits);
  if (v < min || v > max || digits.length > 15) {
    if (digits.length > 15 && BigInt(m[1] + digits) >= BigInt(min) && BigInt(m[1] + digits) <= BigInt(max)) return v;
    throw outOfRange(t, s);
  }
  return v + 0;
}

function parseInt8(s: string): bigint {
  const m = RE_INT.exec(s);
  if (!m) throw syntax('bigint', s);
  const v = BigInt(m[1] + m[2]!.replace(/_/g, ''));
  if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) throw outOfRange({ kind: 'int8' }, s);
  return v;
}

function parseOid(s: string): number {
  const m = RE_INT.exec(s);
  if (!m) throw syntax('oid', s);
  const v = Number(m[1] + m[2]!.replace(/_/g, ''));
  if (v > 4294967295 || v < -2147483648) throw outOfRange({ kind: 'oid' }, s);
  return v < 0 ? v + 4294967296 : v;
}

// ---- numeric ----

/** Applies numeric(precision, scale): rounds half away from zero to `scale`, then checks the integer digits (22003). */
export function coerceNumeric(n: Numeric, precision: number | undefined, scale: number | undefined): Numeric {
  if (precision === undefined) return n;
  const sc = scale ?? 0;
  if (n.special !== undefined) {
    if (n.special === 'nan') return n;
    throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${sc} cannot hold an infinite value.`,
    });
  }
  const r = n.round(sc);
  if (r.unscaled !== 0n) {
    const digits = (r.unscaled < 0n ? -r.unscaled : r.unscaled).toString().length;
    const intDigits = digits - r.scale;
    if (intDigits > precision - sc) {
      throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
        detail: `A field with precision ${precision}, scale ${sc} must round to an absolute value less than ${precision - sc === 0 ? '1' : `10^${precision - sc}`}.`,
      });
    }
  }
  return r;
}

// ---- strings ----

function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) n--;
  }
  return n;
}

/** Cuts `s` to `len` code points. */
function truncateChars(s: string, len: number): string {
  return Array.from(s).slice(0, len).join('');
}

/**
 * varchar(n): longer values are an error (22001) unless the excess is spaces, which are cut;
 * an explicit cast (`explicit`) truncates silently, as Postgres does.
 */
export function coerceVarchar(s: string, length: number | undefined, explicit: boolean): string {
  if (length === undefined || s.length <= length || charLength(s) <= length) return s;
  const cut = truncateChars(s, length);
  if (!explicit && /[^ ]/.test(s.slice(cut.length))) {
    throw new SqlError(SqlState.stringDataRightTruncation, `value too long for type character varying(${length})`);
  }
  return cut;
}

/** char(n): pads with spaces to n; longer values as varchar(n). */
export function coerceChar(s: string, length: number | undefined, explicit: boolean): string {
  if (length === undefined) return s;
  const n = charLength(s);
  if (n === length) return s;
  if (n < length) return s + ' '.repeat(length - n);
  const cut = truncateChars(s, length);
  if (!explicit && /[^ ]/.test(s.slice(cut.length))) {
    throw new SqlError(SqlState.stringDataRightTruncation, `value too long for type character(${length})`);
  }
  return cut;
}

// ---- arrays and records ----

function formatElement(d: Datum, t: SqlType): string {
  if (Array.isArray(d) && t.kind !== 'array' && t.kind !== 'jsonb') return formatArray(d, t);
  return formatDatum(d, t);
}

/** `{1,2,NULL}`; elements quoted when empty, "NULL", or holding braces, commas, quotes, backslashes or spaces. */
export function formatArray(a: Datum[], element: SqlType): string {
  let out = '{';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) out += ',';
    const e = a[i]!;
    if (e === null) {
      out += 'NULL';
      continue;
    }
    const nested = Array.isArray(e) && element.kind !== 'jsonb';
    const text = nested ? formatArray(e as Datum[], element.kind === 'array' ? element.element : element) : formatElement(e, element);
    out += nested ? text : quoteArrayElement(text);
  }
  return out + '}';
}

function quoteArrayElement(s: string): string {
  if (s.length > 0 && !/[{},"\\\s]/.test(s) && s.toLowerCase() !== 'null') return s;
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}

/** `(1,abc)`; NULL fields are empty; fields quoted when empty or holding parens, commas, quotes, backslashes or spaces. */
export function formatRecord(r: Record, fields: { name: string; type: SqlType }[]): string {
  let out = '(';
  for (let i = 0; i < r.fields.length; i++) {
    if (i > 0) out += ',';
    const f = r.fields[i]!;
    if (f === null) continue;
    const text = formatElement(f, fields[i]?.type ?? guessType(f));
    if (text.length > 0 && !/[(),"\\\s]/.test(text)) out += text;
    else out += '"' + text.replace(/["\\]/g, '$&$&') + '"';
  }
  return out + ')';
}

function guessType(d: Datum): SqlType {
  switch (typeof d) {
    case 'boolean': return { kind: 'bool' };
    case 'number': return { kind: 'float8' };
    case 'bigint': return { kind: 'int8' };
    case 'string': return { kind: 'text' };
    default: break;
  }
  if (d instanceof Numeric) return { kind: 'numeric' };
  if (d instanceof Uint8Array) return { kind: 'bytea' };
  if (d instanceof Interval) return { kind: 'interval' };
  if (d instanceof Jsonb) return { kind: 'jsonb' };
  if (d instanceof Record) return { kind: 'record', fields: [] };
  return { kind: 'unknown' };
}

function formatUnknown(d: Datum): string {
  const t = guessType(d);
  if (t.kind === 'unknown') return Array.isArray(d) ? formatArray(d, { kind: 'unknown' }) : String(d);
  return formatDatum(d, t);
}

/** Parses `{a,"b c",NULL,{1,2}}` (nested braces become nested arrays). */
export function parseArray(s: string, element: SqlType): Datum[] {
  const bad = (): SqlError => new SqlError(SqlState.invalidTextRepresentation, `malformed array literal: "${s}"`);
  let i = 0;
  const skipWs = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  skipWs();
  if (s[i] === '[') {
    // Optional dimension decoration: [1:3]={...}
    const eq = s.indexOf('=', i);
    if (eq < 0) throw bad();
    i = eq + 1;
    skipWs();
  }
  const parseLevel = (): Datum[] => {
    if (s[i] !== '{') throw bad();
    i++;
    const out: Datum[] = [];
    skipWs();
    if (s[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipWs();
      if (s[i] === '{') out.push(parseLevel());
      else if (s[i] === '"') {
        i++;
        let v = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\') i++;
          if (i >= s.length) throw bad();
          v += s[i++];
        }
        if (i >= s.length) throw bad();
        i++;
        out.push(parseDatum(v, element));
      } else {
        let v = '';
        while (i < s.length && s[i] !== ',' && s[i] !== '}' && s[i] !== '{' && s[i] !== '"') {
          if (s[i] === '\\') i++;
          if (i >= s.length) throw bad();
          v += s[i++];
        }
        v = v.trim();
        if (v.length === 0) throw bad();
        out.push(v.toLowerCase() === 'null' ? null : parseDatum(v, element));
      }
      skipWs();
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '}') {
        i++;
        return out;
      }
      throw bad();
    }
  };
  const result = parseLevel();
  skipWs();
  if (i !== s.length) throw bad();
  return result;
}

/** Parses `(1,abc,,"x y")`: an empty unquoted field is NULL. */
export function parseRecord(s: string, fields: { name: string; type: SqlType }[]): Record {
  const bad = (detail: string): SqlError =>
    new SqlError(SqlState.invalidTextRepresentation, `malformed record literal: "${s}"`, { detail });
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  if (s[i] !== '(') throw bad('Missing left parenthesis.');
  i++;
  const out: Datum[] = [];
  for (let f = 0; ; f++) {
    let v = '';
    let quoted = false;
    while (i < s.length && s[i] !== ',' && s[i] !== ')') {
      const c = s[i]!;
      if (c === '"') {
        quoted = true;
        i++;
        while (i < s.length) {
          if (s[i] === '"') {
            if (s[i + 1] === '"') {
              v += '"';
              i += 2;
              continue;
            }
            break;
          }
          if (s[i] === '\\') i++;
          v += s[i++];
        }
        if (i >= s.length) throw bad('Unexpected end of input.');
        i++;
      } else if (c === '\\') {
        v += s[i + 1] ?? '';
        i += 2;
      } else v += s[i++];
    }
    if (i >= s.length) throw bad('Unexpected end of input.');
    const type = fields[f]?.type ?? { kind: 'text' };
    if (fields.length > 0 && f >= fields.length) throw bad('Too many columns.');
    out.push(!quoted && v.length === 0 ? null : parseDatum(v, type));
    if (s[i] === ')') {
      i++;
      break;
    }
    i++;
  }
  if (fields.length > 0 && out.length < fields.length) throw bad('Too few columns.');
  if (s.slice(i).trim() !== '') throw bad('Junk after right parenthesis.');
  return new Record(out);
}
