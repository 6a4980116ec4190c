/**
 * type-key.ts owns the compact spelling of a SqlType inside a specialized function id:
 * `int4`, `numeric(10,2)`, `varchar(5)`, `text[]`. Specialized ids read `base<key;key…>`
 * (e.g. `concat<int4;text>`, `cast_text_varchar<5>`) and `parseSpecializedId` splits them back.
 * Record types have no key (functions over records are not specialized).
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
      throw new Error('record types have no type key');
    default:
      return t.kind;
  }
}

const SIMPLE_KINDS: ReadonlySet<SqlTypeKind> = new Set<SqlTypeKind>([
  'bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'char', 'bytea', 'date', 'time',
  'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'uuid', 'oid', 'unknown',
]);

export function parseTypeKey(key: string): SqlType {
  if (key.endsWith('[]')) return { kind: 'array', element: parseTypeKey(key.slice(0, -2)) };
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
