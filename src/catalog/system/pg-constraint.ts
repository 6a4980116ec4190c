/**
 * pg_constraint: one 'p' row per primary key, backed by the implicit "<table>_pkey" index
 * (pg-class.ts). weir has no other constraints: NOT NULL is pg_attribute.attnotnull, and
 * CHECK, UNIQUE and FOREIGN KEY are not supported, so they have no rows.
 */
import type { RelationItem } from '../catalog-item.js';
import { namespaceOid, pkeyConstraintOid, pkeyIndexOid, relationOid } from './oids.js';
import { pkeyName } from './pg-class.js';
import { relation, type SystemRelation } from './system-relation.js';

/** `PRIMARY KEY (id, name)`: what pg_get_constraintdef prints. */
export function primaryKeyDef(table: RelationItem): string {
  return `PRIMARY KEY (${(table.primaryKey ?? []).map((i) => quoteIdent(table.columns[i]!.name)).join(', ')})`;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export const PG_CONSTRAINT = relation(
  'pg_catalog', 'pg_constraint', 2606, 'r',
  `oid oid, conname name, connamespace oid, contype char, condeferrable bool, condeferred bool,
   convalidated bool, conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid,
   confupdtype char, confdeltype char, confmatchtype char, conislocal bool, coninhcount int2,
   connoinherit bool, conkey int2[], confkey int2[], conpfeqop oid[], conppeqop oid[],
   conffeqop oid[], confdelsetcols int2[], conexclop oid[], conbin text`,
  (ctx) =>
    ctx.catalog
      .relations()
      .filter((r) => r.kind === 'table' && (r.primaryKey?.length ?? 0) > 0)
      .map((r) => ({
        oid: pkeyConstraintOid(r.id), conname: pkeyName(r), connamespace: namespaceOid(r.schemaName), contype: 'p',
        condeferrable: false, condeferred: false, convalidated: true, conrelid: relationOid(r.id), contypid: 0,
        conindid: pkeyIndexOid(r.id), conparentid: 0, confrelid: 0, confupdtype: ' ', confdeltype: ' ',
        confmatchtype: ' ', conislocal: true, coninhcount: 0, connoinherit: true, conkey: r.primaryKey!.map((i) => i + 1),
      })),
);

export const CONSTRAINT_RELATIONS: SystemRelation[] = [PG_CONSTRAINT];
