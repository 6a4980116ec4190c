/**
 * pg_class, pg_namespace, pg_am and pg_index: every relation weir knows, in one list
 * (`classEntries`) that pg_attribute and the pg_get_*def functions share, so their oids agree.
 *
 * | weir object                | relkind | notes                                        |
 * |----------------------------|---------|----------------------------------------------|
 * | table, source              | 'r'     | relam heap; relhasindex if it has a key/index |
 * | view                       | 'v'     |                                              |
 * | materialized view          | 'm'     | relam heap                                   |
 * | CREATE INDEX               | 'i'     | btree, on the named columns                  |
 * | PRIMARY KEY                | 'i'     | the implicit unique index "<table>_pkey"      |
 * | pg_catalog / info. schema  | 'r'/'v' | the system relations themselves               |
 *
 * reltuples is -1 (never analyzed): row counts would need a read of storage.
 */
import type { Schema } from '../../types/sql-type.js';
import type { RelationItem, IndexItem } from '../catalog-item.js';
import {
  BOOTSTRAP_ROLE_OID, BTREE_AM_OID, HEAP_AM_OID, builtinNamespaces, namespaceOid, pkeyIndexOid, relationOid,
} from './oids.js';
import { relation, type SystemContext, type SystemRelation } from './system-relation.js';

/** One pg_class row's facts. */
export interface ClassEntry {
  oid: number;
  name: string;
  schemaName: string;
  relkind: 'r' | 'v' | 'm' | 'i';
  columns: Schema;
  /** The user relation, when it is one. */
  item?: RelationItem;
  /** For an index: the indexed relation and the column numbers (1-based), primary or not. */
  index?: { on: RelationItem; attnums: number[]; primary: boolean; item?: IndexItem };
  hasIndex: boolean;
}

const RELKIND = { table: 'r', source: 'r', view: 'v', 'materialized-view': 'm' } as const;

export function classEntries(ctx: SystemContext): ClassEntry[] {
  const out: ClassEntry[] = [];
  const items = ctx.catalog.items();
  const indexed = new Set(items.filter((i) => i.kind === 'index').map((i) => (i as IndexItem).onId));
  for (const item of items) {
    if (item.kind === 'index') {
      const on = ctx.catalog.get(item.onId);
      if (!on || on.kind === 'index' || on.kind === 'sink') continue;
      const attnums = item.columns.map((c) => on.columns.findIndex((col) => col.name === c) + 1);
      out.push({
        oid: relationOid(item.id), name: item.name, schemaName: item.schemaName, relkind: 'i',
        columns: attnums.map((n) => on.columns[n - 1]!), index: { on, attnums, primary: false, item }, hasIndex: false,
      });
      continue;
    }
    if (item.kind === 'sink') continue;
    const hasKey = item.kind === 'table' && (item.primaryKey?.length ?? 0) > 0;
    out.push({
      oid: relationOid(item.id), name: item.name, schemaName: item.schemaName, relkind: RELKIND[item.kind],
      columns: item.columns, item, hasIndex: hasKey || indexed.has(item.id),
    });
    if (hasKey) {
      const attnums = item.primaryKey!.map((i) => i + 1);
      out.push({
        oid: pkeyIndexOid(item.id), name: pkeyName(item), schemaName: item.schemaName, relkind: 'i',
        columns: attnums.map((n) => ({ ...item.columns[n - 1]!, nullable: false })), index: { on: item, attnums, primary: true }, hasIndex: false,
      });
    }
  }
  for (const s of ctx.systemRelations) {
    out.push({ oid: s.oid, name: s.name, schemaName: s.schemaName, relkind: s.relkind, columns: s.columns, hasIndex: false });
  }
  return out;
}

export function pkeyName(table: { name: string }): string {
  return `${table.name}_pkey`;
}

export const PG_CLASS = relation(
  'pg_catalog', 'pg_class', 1259, 'r',
  `oid oid, relname name, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid,
   relfilenode oid, reltablespace oid, relpages int4, reltuples float4, relallvisible int4,
   reltoastrelid oid, relhasindex bool, relisshared bool, relpersistence char, relkind char,
   relnatts int2, relchecks int2, relhasrules bool, relhastriggers bool, relhassubclass bool,
   relrowsecurity bool, relforcerowsecurity bool, relispopulated bool, relreplident char,
   relispartition bool, relrewrite oid, relacl text[], reloptions text[], relpartbound text`,
  (ctx) =>
    classEntries(ctx).map((e) => ({
      oid: e.oid, relname: e.name, relnamespace: namespaceOid(e.schemaName), reltype: 0, reloftype: 0,
      relowner: BOOTSTRAP_ROLE_OID, relam: e.relkind === 'i' ? BTREE_AM_OID : e.relkind === 'v' ? 0 : HEAP_AM_OID,
      relfilenode: e.relkind === 'v' ? 0 : e.oid, reltablespace: 0, relpages: 0, reltuples: -1, relallvisible: 0,
      reltoastrelid: 0, relhasindex: e.hasIndex, relisshared: false, relpersistence: 'p', relkind: e.relkind,
      relnatts: e.columns.length, relchecks: 0, relhasrules: false, relhastriggers: false, relhassubclass: false,
      relrowsecurity: false, relforcerowsecurity: false, relispopulated: true, relreplident: e.relkind === 'r' || e.relkind === 'm' ? 'd' : 'n',
      relispartition: false, relrewrite: 0,
    })),
);

export const PG_NAMESPACE = relation(
  'pg_catalog', 'pg_namespace', 2615, 'r',
  'oid oid, nspname name, nspowner oid, nspacl text[]',
  (ctx) => {
    const names = new Map(builtinNamespaces());
    for (const i of ctx.catalog.items()) if (!names.has(i.schemaName)) names.set(i.schemaName, namespaceOid(i.schemaName));
    return [...names].map(([nspname, oid]) => ({ oid, nspname, nspowner: BOOTSTRAP_ROLE_OID }));
  },
);

export const PG_AM = relation(
  'pg_catalog', 'pg_am', 2601, 'r',
  'oid oid, amname name, amhandler text, amtype char',
  () => [
    { oid: HEAP_AM_OID, amname: 'heap', amhandler: 'heap_tableam_handler', amtype: 't' },
    { oid: BTREE_AM_OID, amname: 'btree', amhandler: 'bthandler', amtype: 'i' },
  ],
);

export const PG_INDEX = relation(
  'pg_catalog', 'pg_index', 2610, 'r',
  `indexrelid oid, indrelid oid, indnatts int2, indnkeyatts int2, indisunique bool,
   indnullsnotdistinct bool, indisprimary bool, indisexclusion bool, indimmediate bool,
   indisclustered bool, indisvalid bool, indcheckxmin bool, indisready bool, indislive bool,
   indisreplident bool, indkey int2[], indcollation oid[], indclass oid[], indoption int2[],
   indexprs text, indpred text`,
  (ctx) =>
    classEntries(ctx)
      .filter((e) => e.index)
      .map((e) => {
        const ix = e.index!;
        return {
          indexrelid: e.oid, indrelid: relationOid(ix.on.id), indnatts: ix.attnums.length, indnkeyatts: ix.attnums.length,
          indisunique: ix.primary, indnullsnotdistinct: false, indisprimary: ix.primary, indisexclusion: false,
          indimmediate: true, indisclustered: false, indisvalid: true, indcheckxmin: false, indisready: true,
          indislive: true, indisreplident: false, indkey: ix.attnums, indcollation: ix.attnums.map(() => 0),
          indclass: ix.attnums.map(() => 0), indoption: ix.attnums.map(() => 0),
        };
      }),
);

export const CLASS_RELATIONS: SystemRelation[] = [PG_CLASS, PG_NAMESPACE, PG_AM, PG_INDEX];
