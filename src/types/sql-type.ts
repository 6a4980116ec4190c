/**
 * SQL types as a discriminated union on `kind`. Each type has exactly one JS representation
 * of its values (see datum.ts), so a row can be interpreted only together with its schema.
 */
export type SqlType =
  | { kind: 'bool' }
  | { kind: 'int2' }
  | { kind: 'int4' }
  | { kind: 'int8' }
  | { kind: 'float4' }
  | { kind: 'float8' }
  | { kind: 'numeric'; precision?: number; scale?: number }
  | { kind: 'text' }
  | { kind: 'varchar'; length?: number }
  | { kind: 'char'; length?: number }
  | { kind: 'bytea' }
  | { kind: 'date' }
  | { kind: 'time' }
  | { kind: 'timestamp' }
  | { kind: 'timestamptz' }
  | { kind: 'interval' }
  | { kind: 'json' }
  | { kind: 'jsonb' }
  | { kind: 'uuid' }
  | { kind: 'oid' }
  | { kind: 'array'; element: SqlType }
  | { kind: 'record'; fields: { name: string; type: SqlType }[] }
  /** An untyped literal ('abc', NULL) before the binder resolves it; never in a stored schema. */
  | { kind: 'unknown' };

export type SqlTypeKind = SqlType['kind'];

/** Singletons for the parameterless types, so `T.int4` reads like SQL. */
export const T = {
  bool: { kind: 'bool' },
  int2: { kind: 'int2' },
  int4: { kind: 'int4' },
  int8: { kind: 'int8' },
  float4: { kind: 'float4' },
  float8: { kind: 'float8' },
  numeric: { kind: 'numeric' },
  text: { kind: 'text' },
  varchar: { kind: 'varchar' },
  bytea: { kind: 'bytea' },
  date: { kind: 'date' },
  time: { kind: 'time' },
  timestamp: { kind: 'timestamp' },
  timestamptz: { kind: 'timestamptz' },
  interval: { kind: 'interval' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  uuid: { kind: 'uuid' },
  oid: { kind: 'oid' },
  unknown: { kind: 'unknown' },
} as const satisfies Record<string, SqlType>;

export function arrayOf(element: SqlType): SqlType {
  return { kind: 'array', element };
}

/** A column of a relation's schema. */
export interface Column {
  name: string;
  type: SqlType;
  nullable: boolean;
}

export type Schema = Column[];

/** The Postgres spelling of a type, as format_type() prints it (e.g. "numeric(10,2)", "integer[]"). */
export function typeName(t: SqlType): string {
  switch (t.kind) {
    case 'bool': return 'boolean';
    case 'int2': return 'smallint';
    case 'int4': return 'integer';
    case 'int8': return 'bigint';
    case 'float4': return 'real';
    case 'float8': return 'double precision';
    case 'numeric': return t.precision !== undefined ? `numeric(${t.precision},${t.scale ?? 0})` : 'numeric';
    case 'text': return 'text';
    case 'varchar': return t.length !== undefined ? `character varying(${t.length})` : 'character varying';
    case 'char': return `character(${t.length ?? 1})`;
    case 'bytea': return 'bytea';
    case 'date': return 'date';
    case 'time': return 'time without time zone';
    case 'timestamp': return 'timestamp without time zone';
    case 'timestamptz': return 'timestamp with time zone';
    case 'interval': return 'interval';
    case 'json': return 'json';
    case 'jsonb': return 'jsonb';
    case 'uuid': return 'uuid';
    case 'oid': return 'oid';
    case 'array': return `${typeName(t.element)}[]`;
    case 'record': return 'record';
    case 'unknown': return 'unknown';
  }
}

export function sameType(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array' && b.kind === 'array') return sameType(a.element, b.element);
  return true;
}

export function isNumericKind(t: SqlType): boolean {
  return t.kind === 'int2' || t.kind === 'int4' || t.kind === 'int8' || t.kind === 'float4' || t.kind === 'float8' || t.kind === 'numeric';
}

export function isStringKind(t: SqlType): boolean {
  return t.kind === 'text' || t.kind === 'varchar' || t.kind === 'char';
}
