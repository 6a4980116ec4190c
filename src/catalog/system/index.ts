/**
 * The system relations, by schema and name and by Get id, and the definitions the
 * pg_get_*def functions print. `Catalog.getRelation` resolves `pg_catalog.x` and
 * `information_schema.x` here (and unqualified pg_catalog names no user object shadows);
 * the adapter builds their rows at read time with `systemRows`.
 */
import type { Row } from '../../types/datum.js';
import type { CatalogRelation } from '../../sql/catalog-reader.js';
import { ATTRIBUTE_RELATIONS } from './pg-attribute.js';
import { CLASS_RELATIONS, classEntries, pkeyName } from './pg-class.js';
import { CONSTRAINT_RELATIONS, primaryKeyDef, quoteIdent } from './pg-constraint.js';
import { DATABASE_RELATIONS } from './pg-database.js';
import { EMPTY_RELATIONS } from './empty.js';
import { INFORMATION_SCHEMA_RELATIONS } from './information-schema.js';
import { TYPE_RELATIONS } from './pg-type.js';
import { VIEW_RELATIONS, viewDefinition } from './pg-views.js';
import { targetOfOid } from './oids.js';
import { WEIR_RELATIONS } from './weir-sources.js';
import { WEIR_SINK_STATS } from './weir-sinks.js';
import { isSystemId, systemId, type StreamStats, type SystemContext, type SystemRelation } from './system-relation.js';

export { isSystemId, type StreamStats, type SystemContext, type SystemRelation };

export const SYSTEM_RELATIONS: readonly SystemRelation[] = [
  ...CLASS_RELATIONS,
  ...ATTRIBUTE_RELATIONS,
  ...CONSTRAINT_RELATIONS,
  ...TYPE_RELATIONS,
  ...DATABASE_RELATIONS,
  ...VIEW_RELATIONS,
  ...EMPTY_RELATIONS,
  ...INFORMATION_SCHEMA_RELATIONS,
  ...WEIR_RELATIONS,
  WEIR_SINK_STATS,
];

const BY_ID = new Map(SYSTEM_RELATIONS.map((r) => [systemId(r.schemaName, r.name), r]));

/** The system relation `schema.name` as the binder sees it, or undefined. */
export function systemRelation(schemaName: string, name: string): CatalogRelation | undefined {
  const id = systemId(schemaName, name);
  const r = BY_ID.get(id);
  return r && { id, schemaName: r.schemaName, name: r.name, kind: 'system', columns: r.columns };
}

export function isSystemSchema(schemaName: string): boolean {
  return schemaName === 'pg_catalog' || schemaName === 'information_schema';
}

/** The rows of a system relation (by Get id), computed now from the catalog. */
export function systemRows(id: string, ctx: Omit<SystemContext, 'systemRelations'>): Row[] {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`internal error: no system relation ${id}`);
  return r.rows({ ...ctx, systemRelations: SYSTEM_RELATIONS });
}

/** What pg_get_viewdef / pg_get_indexdef / pg_get_constraintdef print for an oid (null: no such object). */
export function objectDefinition(
  ctx: Omit<SystemContext, 'systemRelations'>,
  what: 'view' | 'index' | 'constraint',
  oid: number,
  column = 0,
): string | null {
  const target = targetOfOid(oid);
  if (what === 'constraint') {
    if (target.kind !== 'pkey-constraint') return null;
    const table = ctx.catalog.get(target.tableId);
    return table && table.kind === 'table' ? primaryKeyDef(table) : null;
  }
  if (what === 'view') {
    if (target.kind !== 'relation') return null;
    const item = ctx.catalog.get(target.id);
    return item && item.kind !== 'index' ? viewDefinition(item.viewSql) : null;
  }
  const entry = classEntries({ ...ctx, systemRelations: [] }).find((e) => e.oid === oid && e.index);
  if (!entry) return null;
  const ix = entry.index!;
  const names = ix.attnums.map((n) => quoteIdent(ix.on.columns[n - 1]!.name));
  if (column > 0) return names[column - 1] ?? '';
  const unique = ix.primary ? 'UNIQUE ' : '';
  const name = ix.primary ? pkeyName(ix.on) : entry.name;
  return `CREATE ${unique}INDEX ${quoteIdent(name)} ON ${ix.on.schemaName}.${quoteIdent(ix.on.name)} USING btree (${names.join(', ')})`;
}

/** pg_class.oid of a relation named in SQL ('orders'::regclass), searching user objects first. */
export function relationOidByName(ctx: { catalog: SystemContext['catalog'] }, schemaName: string | undefined, name: string): number | undefined {
  const entries = classEntries({ catalog: ctx.catalog, user: '', database: '', settings: new Map(), systemRelations: SYSTEM_RELATIONS });
  const match = (e: { schemaName: string; name: string }) => e.name === name && (schemaName === undefined || e.schemaName === schemaName);
  const user = entries.find((e) => match(e) && (schemaName !== undefined || !isSystemSchema(e.schemaName)));
  if (user) return user.oid;
  return entries.find((e) => match(e) && (schemaName !== undefined || e.schemaName === 'pg_catalog'))?.oid;
}

/**
 * Postgres's other system relations, which weir does not have: reading one is 0A000 (a
 * feature weir lacks), not 42P01 (a name that does not exist).
 */
const UNSUPPORTED: Record<string, readonly string[]> = {
  pg_catalog: [
    'pg_aggregate', 'pg_amop', 'pg_amproc', 'pg_authid', 'pg_available_extensions', 'pg_cast', 'pg_conversion',
    'pg_cursors', 'pg_default_acl', 'pg_depend', 'pg_enum', 'pg_event_trigger', 'pg_foreign_data_wrapper',
    'pg_foreign_server', 'pg_indexes', 'pg_init_privs', 'pg_language', 'pg_largeobject', 'pg_locks', 'pg_opclass',
    'pg_operator', 'pg_opfamily', 'pg_prepared_statements', 'pg_range', 'pg_replication_slots', 'pg_seclabel',
    'pg_sequence', 'pg_sequences', 'pg_shdepend', 'pg_shdescription', 'pg_stat_activity', 'pg_stat_all_tables',
    'pg_stat_database', 'pg_stat_replication', 'pg_stat_user_indexes', 'pg_stat_user_tables', 'pg_statio_user_tables',
    'pg_statistic', 'pg_stats', 'pg_subscription', 'pg_timezone_abbrevs', 'pg_timezone_names', 'pg_ts_config',
    'pg_ts_dict', 'pg_ts_parser', 'pg_ts_template', 'pg_user_mapping', 'pg_group', 'pg_shadow', 'pg_file_settings',
    'pg_hba_file_rules', 'pg_stat_statements', 'pg_transform', 'pg_db_role_setting',
  ],
  information_schema: [
    'attributes', 'character_sets', 'check_constraints', 'collations', 'column_privileges', 'column_udt_usage',
    'constraint_column_usage', 'constraint_table_usage', 'domains', 'domain_constraints', 'element_types',
    'enabled_roles', 'parameters', 'referential_constraints', 'role_column_grants', 'role_table_grants',
    'routines', 'sequences', 'table_privileges', 'triggers', 'udt_privileges', 'usage_privileges',
    'user_defined_types', 'view_column_usage', 'view_table_usage',
  ],
};

export function isUnsupportedSystemRelation(schemaName: string | undefined, name: string): boolean {
  if (schemaName === undefined) return UNSUPPORTED.pg_catalog!.includes(name);
  return UNSUPPORTED[schemaName]?.includes(name) ?? false;
}

/** What `oid::regclass` prints: the name, qualified unless its schema is public or pg_catalog. */
export function relationNameByOid(ctx: Omit<SystemContext, 'systemRelations'>, oid: number): string | null {
  const e = classEntries({ ...ctx, systemRelations: SYSTEM_RELATIONS }).find((x) => x.oid === oid);
  if (!e) return null;
  return e.schemaName === 'public' || e.schemaName === 'pg_catalog' ? quoteIdent(e.name) : `${quoteIdent(e.schemaName)}.${quoteIdent(e.name)}`;
}
