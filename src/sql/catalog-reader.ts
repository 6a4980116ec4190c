/**
 * CatalogReader: what the binder needs to know about the catalog. Defined here (sql), and
 * implemented by catalog/, so the binder can be tested with a fake catalog.
 */
import type { SqlType, Schema } from '../types/sql-type.js';

export type RelationKind = 'table' | 'source' | 'view' | 'materialized-view' | 'system';

export interface CatalogRelation {
  /** Stable id used by Get nodes and storage keys, e.g. "u12". */
  id: string;
  schemaName: string;
  name: string;
  kind: RelationKind;
  columns: Schema;
  /** Column indexes of the primary key, if any. */
  primaryKey?: number[];
  /** Column defaults (SQL expression text), by column index. */
  defaults?: (string | undefined)[];
  /** An APPEND ONLY table (or a source): INSERT only. */
  appendOnly?: boolean;
  /** For a (non-materialized) view: its SELECT text, which the binder inlines. */
  viewSql?: string;
}

/**
 * A SQL function (CREATE FUNCTION … LANGUAGE SQL): one expression over its parameters,
 * inlined where it is called (binder/sql-function.ts).
 */
export interface CatalogFunction {
  id: string;
  schemaName: string;
  name: string;
  params: { name?: string; type: SqlType }[];
  returns: SqlType;
  /** The body as written: `SELECT <expr>` or `RETURN <expr>`. */
  body: string;
}

export interface CatalogReader {
  /** Resolves a possibly-qualified name; `schemaName` undefined means the search path. */
  getRelation(schemaName: string | undefined, name: string): CatalogRelation | undefined;
  /** A SQL function by name; undefined if there is none. */
  getFunction?(schemaName: string | undefined, name: string): CatalogFunction | undefined;
  /** Resolves a type name written in SQL (e.g. for casts to user types); undefined if unknown. */
  getType?(name: string): SqlType | undefined;
  /** pg_class.oid of a relation or index, for `'name'::regclass`; undefined if there is none. */
  relationOid?(schemaName: string | undefined, name: string): number | undefined;
  /** True for a Postgres system relation weir does not have (pg_stat_activity…): 0A000, not 42P01. */
  isUnsupportedSystemRelation?(schemaName: string | undefined, name: string): boolean;
}
