/**
 * A system relation: a pg_catalog or information_schema relation whose rows are computed
 * from the catalog each time a query reads it (never stored, never maintained). Its Get id
 * is `s:<schema>.<name>`, which no user object can have.
 *
 * Columns are declared with a compact spec, `'oid oid, relname name, relkind char'`. Postgres's
 * `name` and `"char"` columns are text in weir (typeOfOid already reads them so); `int2vector`
 * and `oidvector` are int2[] and oid[]; `aclitem[]` and `regproc` are text.
 */
import type { Row } from '../../types/datum.js';
import type { Schema, SqlType } from '../../types/sql-type.js';
import type { Catalog } from '../catalog.js';

/** What the row builders read: the catalog and the reading session. */
export interface SystemContext {
  catalog: Catalog;
  /** The session's user: the owner of every object (pg_roles has one role, oid 10). */
  user: string;
  database: string;
  settings: ReadonlyMap<string, string>;
  /** Every system relation (pg_class and pg_attribute list them too). */
  systemRelations: readonly SystemRelation[];
  /** The live counters of a source or stream table (weir_source_stats), from the coordinator. */
  streamStats?: (id: string) => StreamStats | undefined;
  /** A sink's status (weir_sink_stats), from the coordinator: 'running' or 'retrying: <why>'. */
  sinkStatus?: (id: string) => string | undefined;
}

export interface StreamStats {
  /** Rows accepted into the stream. */
  rows: number;
  /** A generator's position (events generated, late ones included). */
  position: number;
  /** The watermark (µs), before any allowed lateness; undefined before the first row. */
  watermark: number | undefined;
  lateDropped: number;
  lateSideOutput: number;
  lateCorrected: number;
  /** Live: 'running', 'finished' (a bounded generator at its end), or 'retrying: <why>' (Kafka broker away, topic missing …). */
  status: string;
}

export interface SystemRelation {
  schemaName: 'pg_catalog' | 'information_schema';
  name: string;
  oid: number;
  /** pg_class.relkind: 'r' for catalog tables, 'v' for catalog views. */
  relkind: 'r' | 'v';
  columns: Schema;
  rows(ctx: SystemContext): Row[];
}

export const SYSTEM_ID_PREFIX = 's:';

export function systemId(schemaName: string, name: string): string {
  return `${SYSTEM_ID_PREFIX}${schemaName}.${name}`;
}

export function isSystemId(id: string): boolean {
  return id.startsWith(SYSTEM_ID_PREFIX);
}

const SPEC_TYPES: Record<string, SqlType> = {
  oid: { kind: 'oid' },
  name: { kind: 'text' },
  char: { kind: 'text' },
  text: { kind: 'text' },
  bool: { kind: 'bool' },
  int2: { kind: 'int2' },
  int4: { kind: 'int4' },
  int8: { kind: 'int8' },
  float4: { kind: 'float4' },
  timestamp: { kind: 'timestamp' },
  timestamptz: { kind: 'timestamptz' },
  'text[]': { kind: 'array', element: { kind: 'text' } },
  'char[]': { kind: 'array', element: { kind: 'text' } },
  'int2[]': { kind: 'array', element: { kind: 'int2' } },
  'oid[]': { kind: 'array', element: { kind: 'oid' } },
};

/** `'oid oid, relname name'` → a Schema (every column nullable, as catalog columns may be). */
export function columns(spec: string): Schema {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [name, type] = s.split(/\s+/) as [string, string];
      const t = SPEC_TYPES[type];
      if (!t) throw new Error(`system relation column ${name}: unknown spec type ${type}`);
      return { name, type: t, nullable: true };
    });
}

/** Declares a relation; `rows` returns objects keyed by column name (missing keys are NULL). */
export function relation(
  schemaName: SystemRelation['schemaName'],
  name: string,
  oid: number,
  relkind: 'r' | 'v',
  spec: string,
  build: (ctx: SystemContext) => Record<string, unknown>[],
): SystemRelation {
  const cols = columns(spec);
  return {
    schemaName,
    name,
    oid,
    relkind,
    columns: cols,
    rows: (ctx) => build(ctx).map((o) => cols.map((c) => (o[c.name] ?? null) as Row[number])),
  };
}

/** A relation that is empty by design: weir has no such objects (the header of its file says why). */
export function emptyRelation(name: string, oid: number, spec: string): SystemRelation {
  return relation('pg_catalog', name, oid, 'r', spec, () => []);
}
