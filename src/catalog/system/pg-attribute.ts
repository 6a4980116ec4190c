/**
 * pg_attribute (the columns of every pg_class row: relations, indexes, system relations) and
 * pg_attrdef (column defaults, whose adbin is the default's SQL text, so that
 * pg_get_expr(adbin, adrelid) returns it unchanged).
 */
import type { SqlType } from '../../types/sql-type.js';
import { typeModifier, typeSize } from '../../types/pg-oid.js';
import { classEntries } from './pg-class.js';
import { DEFAULT_COLLATION_OID, attrdefOid, relationOid, typeOid } from './oids.js';
import { relation, type SystemRelation } from './system-relation.js';

function isText(t: SqlType): boolean {
  return t.kind === 'text' || t.kind === 'varchar' || t.kind === 'char';
}

export const PG_ATTRIBUTE = relation(
  'pg_catalog', 'pg_attribute', 1249, 'r',
  `attrelid oid, attname name, atttypid oid, attstattarget int4, attlen int2, attnum int2,
   attndims int4, attcacheoff int4, atttypmod int4, attbyval bool, attalign char, attstorage char,
   attcompression char, attnotnull bool, atthasdef bool, atthasmissing bool, attidentity char,
   attgenerated char, attisdropped bool, attislocal bool, attinhcount int4, attcollation oid,
   attacl text[], attoptions text[], attfdwoptions text[]`,
  (ctx) =>
    classEntries(ctx).flatMap((e) =>
      e.columns.map((c, i) => {
        const len = typeSize(c.type);
        const defaults = e.relkind === 'i' ? undefined : e.item?.defaults;
        return {
          attrelid: e.oid, attname: c.name, atttypid: typeOid(c.type), attstattarget: -1, attlen: len, attnum: i + 1,
          attndims: c.type.kind === 'array' ? 1 : 0, attcacheoff: -1, atttypmod: typeModifier(c.type),
          attbyval: len > 0 && len <= 8, attalign: len === 8 ? 'd' : len === 2 ? 's' : len === 1 ? 'c' : 'i',
          attstorage: c.type.kind === 'numeric' ? 'm' : len === -1 ? 'x' : 'p', attcompression: '', attnotnull: (e.relkind === 'r' || e.relkind === 'i') && e.item?.kind !== 'source' && e.oid >= 16384 ? !c.nullable : false,
          atthasdef: defaults?.[i] !== undefined, atthasmissing: false, attidentity: '', attgenerated: '',
          attisdropped: false, attislocal: true, attinhcount: 0, attcollation: isText(c.type) ? DEFAULT_COLLATION_OID : 0,
        };
      }),
    ),
);

export const PG_ATTRDEF = relation(
  'pg_catalog', 'pg_attrdef', 2604, 'r',
  'oid oid, adrelid oid, adnum int2, adbin text',
  (ctx) =>
    ctx.catalog.relations().flatMap((r) =>
      (r.defaults ?? []).flatMap((d, i) => (d === undefined ? [] : [{ oid: attrdefOid(r.id, i + 1), adrelid: relationOid(r.id), adnum: i + 1, adbin: d }])),
    ),
);

export const ATTRIBUTE_RELATIONS: SystemRelation[] = [PG_ATTRIBUTE, PG_ATTRDEF];
