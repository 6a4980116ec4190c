/**
 * json-conversion.ts owns the mapping between SQL values and JSON values: `datumToJson` (what
 * to_jsonb and jsonb_build_* make of a value of each type), `jsonbObject` (an object with its
 * keys in jsonb's order: shorter keys first, then bytewise; the last duplicate wins) and
 * `jsonKeyText` (an object key from a SQL value).
 */
import { Interval, Jsonb, Record as SqlRecord, type Datum, type JsonValue } from './datum.js';
import type { Numeric } from './numeric.js';
import { SqlError, SqlState } from './sql-error.js';
import type { SqlType } from './sql-type.js';
import { formatDatum } from './text-format.js';

function compareKeys(a: string, b: string): number {
  const la = Buffer.byteLength(a);
  const lb = Buffer.byteLength(b);
  if (la !== lb) return la - lb;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function jsonbObject(entries: Iterable<[string, JsonValue]>): { [key: string]: JsonValue } {
  const m = new Map<string, JsonValue>();
  for (const [k, v] of entries) m.set(k, v);
  const out: { [key: string]: JsonValue } = {};
  for (const k of [...m.keys()].sort(compareKeys)) out[k] = m.get(k)!;
  return out;
}

function floatJson(v: number): JsonValue {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** to_jsonb of a non-null-or-null value of type t. */
export function datumToJson(d: Datum, t: SqlType): JsonValue {
  if (d === null) return null;
  switch (t.kind) {
    case 'bool':
      return d as boolean;
    case 'int2':
    case 'int4':
    case 'float4':
    case 'float8':
    case 'oid':
      return floatJson(d as number);
    case 'int8':
      return Number(d as bigint);
    case 'numeric': {
      const n = d as Numeric;
      return n.isSpecial() ? n.toString() : n.toNumber();
    }
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'unknown':
      return d as string;
    case 'json':
      return JSON.parse(d as string) as JsonValue;
    case 'jsonb':
      return (d as Jsonb).value;
    case 'timestamp':
    case 'timestamptz': {
      if (!Number.isFinite(d as number)) return (d as number) > 0 ? 'infinity' : '-infinity';
      // to_json writes ISO 8601 with a T and a full offset: 2020-01-01T00:00:00+00:00.
      const s = formatDatum(d, t).replace(' ', 'T');
      return t.kind === 'timestamptz' && /[+-]\d\d$/.test(s) ? s + ':00' : s;
    }
    case 'date':
    case 'time':
    case 'bytea':
      return formatDatum(d, t);
    case 'interval':
      return formatDatum(d as Interval, t);
    case 'array':
      return (d as Datum[]).map((e) => datumToJson(e, t.element));
    case 'record': {
      const r = d as SqlRecord;
      return jsonbObject(t.fields.map((f, i) => [f.name, datumToJson(r.fields[i] ?? null, f.type)]));
    }
  }
}

/** An object key: the text output of a scalar; arrays, records and json are rejected. */
export function jsonKeyText(d: Datum, t: SqlType): string {
  if (t.kind === 'array' || t.kind === 'record' || t.kind === 'json' || t.kind === 'jsonb') {
    throw new SqlError(SqlState.invalidParameterValue, 'key value must be scalar, not array, composite, or json');
  }
  if (t.kind === 'text' || t.kind === 'varchar' || t.kind === 'char' || t.kind === 'unknown') return d as string;
  return formatDatum(d, t);
}
