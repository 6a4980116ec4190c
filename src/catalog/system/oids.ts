/**
 * Object OIDs for pg_catalog, derived from catalog ids so that they are stable across
 * restarts and consistent between relations (pg_class.oid = pg_attribute.attrelid =
 * pg_index.indrelid …). Nothing here is stored.
 *
 *   relationOid('u12') = 16396          (user objects start at 16384, as in Postgres)
 *   pkeyIndexOid('u12') = 1016396       the implicit "<table>_pkey" index of a primary key
 *   pkeyConstraintOid('u12') = 2016396  its pg_constraint row
 *   attrdefOid('u12', 2) = 3019202      a column default (3000000 + 12 * 1600 + attnum)
 *
 * Fixed OIDs follow Postgres where it has them (pg_catalog 11, public 2200, the bootstrap
 * role 10, heap 2, btree 403).
 */
import type { SqlType } from '../../types/sql-type.js';
import { oidOf } from '../../types/pg-oid.js';

export const FIRST_USER_OID = 16384;
export const BOOTSTRAP_ROLE_OID = 10;
export const DATABASE_OID = 5;
export const HEAP_AM_OID = 2;
export const BTREE_AM_OID = 403;
export const DEFAULT_COLLATION_OID = 100;
export const TABLESPACE_OID = 1663;

/** Namespaces: pg_catalog and public as in Postgres; information_schema as in Postgres 15. */
const NAMESPACES: Record<string, number> = { pg_catalog: 11, public: 2200, information_schema: 13183 };

export function namespaceOid(schemaName: string): number {
  return NAMESPACES[schemaName] ?? 16000 + (hash(schemaName) % 300);
}

export function builtinNamespaces(): [string, number][] {
  return Object.entries(NAMESPACES);
}

function idNumber(id: string): number {
  return Number(id.slice(1));
}

/** A user relation or index ("u12") → its pg_class oid. */
export function relationOid(id: string): number {
  return FIRST_USER_OID + idNumber(id);
}

/** The implicit index of a table's primary key. */
export function pkeyIndexOid(tableId: string): number {
  return 1_000_000 + relationOid(tableId);
}

/** The pg_constraint row of a table's primary key. */
export function pkeyConstraintOid(tableId: string): number {
  return 2_000_000 + relationOid(tableId);
}

/** The pg_attrdef row of a column default (attnum < 1600, as Postgres's column limit). */
export function attrdefOid(tableId: string, attnum: number): number {
  return 3_000_000 + idNumber(tableId) * 1600 + attnum;
}

/** The kind of object an oid names, for the pg_get_*def functions. */
export type OidTarget =
  | { kind: 'relation'; id: string }
  | { kind: 'pkey-index'; tableId: string }
  | { kind: 'pkey-constraint'; tableId: string }
  | { kind: 'other' };

export function targetOfOid(oid: number): OidTarget {
  if (oid >= 3_000_000) return { kind: 'other' };
  if (oid >= 2_000_000 + FIRST_USER_OID) return { kind: 'pkey-constraint', tableId: `u${oid - 2_000_000 - FIRST_USER_OID}` };
  if (oid >= 1_000_000 + FIRST_USER_OID) return { kind: 'pkey-index', tableId: `u${oid - 1_000_000 - FIRST_USER_OID}` };
  if (oid > FIRST_USER_OID && oid < 1_000_000) return { kind: 'relation', id: `u${oid - FIRST_USER_OID}` };
  return { kind: 'other' };
}

/** atttypid: the type's OID (name-like text columns of system relations are text here). */
export function typeOid(t: SqlType): number {
  return oidOf(t);
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
