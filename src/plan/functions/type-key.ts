/**
 * type-key.ts owns the compact spelling of a SqlType inside a specialized function id:
 * `int4`, `numeric(10,2)`, `varchar(5)`, `text[]`. Specialized ids read `base<key;key…>`
 * (e.g. `concat<int4;text>`, `cast_text_varchar<5>`) and `parseSpecializedId` splits them back.
 * A record type with fields reads `record(name:key,…)`, its names %-escaped so that they hold
 * none of `(),:;<>[]`; a record of unknown fields is plain `record`.
 */
import type { SqlType, SqlTypeKind } from '../../types/sql-type.js';

export function typeKey(t: SqlType): string {
  switch (t.kind) {
    case 'numeric':
      if (t.precision === undefined) return t.scale === undefined ? 'numeric' : `numeric(,${t.scale})`;
      return `numeric(${t.precision},${t.scale ?? 0})`;
    case 'varchar':
    case 'char':
      return t.length === undefined ? t.kind : `${t.kind}(${t.length})`;
    case 'array':
      return `${typeKey(t.element)}[]`;
    case 'record':
      if (t.fields.length === 0) return 'record';
      return `record(${t.fields.map((f) => `${escapeName(f.name)}:${typeKey(f.type)}`).join(',')})`;
    default:
      return t.kind;
  }
}

const SIMPLE_KINDS: ReadonlySet<SqlTypeKind> = new Set<SqlTypeKind>([
  'bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'char', 'bytea', 'date', 'time',
  'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'uuid', 'oid', 'unknown',
]);

function escapeName(name: string): string {
  return encodeURIComponent(name).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `record(a:int4,b:numeric(10,2))` → its fields (split at top-level commas). */
function parseRecordKey(inner: string): SqlType {
  const fields: { name: string; type: SqlType }[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (i === inner.length || (c === ',' && depth === 0)) {
      const item = inner.slice(from, i);
      const colon = item.indexOf(':');
      if (colon < 0) throw new Error(`bad type key "record(${inner})"`);
      fields.push({ name: decodeURIComponent(item.slice(0, colon)), type: parseTypeKey(item.slice(colon + 1)) });
      from = i + 1;
    }
  }
  return { kind: 'record', fields };
}

export function parseTypeKey(key: string): SqlType {
  if (key.endsWith('[]')) return { kind: 'array', element: parseTypeKey(key.slice(0, -2)) };
  if (key === 'record') return { kind: 'record', fields: [] };
  if (key.startsWith('record(') && key.endsWith(')')) return parseRecordKey(key.slice(7, -1));
  const m = /^([a-z0-9]+)(?:\(([^)]*)\))?$/.exec(key);
  if (!m || !SIMPLE_KINDS.has(m[1] as SqlTypeKind)) throw new Error(`bad type key "${key}"`);
  const kind = m[1] as SqlTypeKind;
  const mod = m[2];
  if (mod === undefined) return { kind } as SqlType;
  if (kind === 'numeric') {
    const [p, s] = mod.split(',');
    return { kind, ...(p ? { precision: Number(p) } : {}), ...(s ? { scale: Number(s) } : {}) };
  }
  if (kind === 'varchar' || kind === 'char') return { kind, length: Number(mod) };
  throw new Error(`bad type key "${key}"`);
}

export function specializedId(base: string, types: readonly SqlType[]): string {
  return `${base}<${types.map(typeKey).join(';')}>`;
}

/** Splits `base<a;b>` into base and parameter keys; undefined for a plain id. */
export function parseSpecializedId(id: string): { base: string; params: string[] } | undefined {
  const lt = id.indexOf('<');
  if (lt < 0 || !id.endsWith('>')) return undefined;
  const inner = id.slice(lt + 1, -1);
  return { base: id.slice(0, lt), params: inner === '' ? [] : inner.split(';') };
}
