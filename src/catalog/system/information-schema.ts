/**
 * information_schema: tables, columns, views, schemata, table_constraints and
 * key_column_usage, for the SQL-standard catalog queries of JDBC, GUI tools and ORMs. Kinds:
 * tables and sources are 'BASE TABLE', views and materialized views 'VIEW' (as Materialize
 * and RisingWave show them). System relations are listed under their schemas too.
 */
import type { SqlType } from '../../types/sql-type.js';
import { typeName } from '../../types/sql-type.js';
import { builtinNamespaces } from './oids.js';
import { pkeyName } from './pg-class.js';
import { viewDefinition } from './pg-views.js';
import { relation, type SystemContext, type SystemRelation } from './system-relation.js';

interface Rel { schemaName: string; name: string; type: 'BASE TABLE' | 'VIEW'; columns: { name: string; type: SqlType; nullable: boolean }[]; defaults?: (string | undefined)[] }

function allRelations(ctx: SystemContext): Rel[] {
  const user: Rel[] = ctx.catalog.relations().map((r) => ({
    schemaName: r.schemaName, name: r.name, type: r.kind === 'table' || r.kind === 'source' ? 'BASE TABLE' : 'VIEW', columns: r.columns, defaults: r.defaults,
  }));
  const system: Rel[] = ctx.systemRelations.map((s) => ({ schemaName: s.schemaName, name: s.name, type: s.relkind === 'r' ? 'BASE TABLE' : 'VIEW', columns: s.columns }));
  return [...user, ...system];
}

export const TABLES = relation(
  'information_schema', 'tables', 13200, 'v',
  `table_catalog name, table_schema name, table_name name, table_type text,
   self_referencing_column_name name, reference_generation text, user_defined_type_catalog name,
   user_defined_type_schema name, user_defined_type_name name, is_insertable_into text,
   is_typed text, commit_action text`,
  (ctx) =>
    allRelations(ctx).map((r) => ({
      table_catalog: ctx.database, table_schema: r.schemaName, table_name: r.name, table_type: r.type,
      is_insertable_into: r.type === 'BASE TABLE' && r.schemaName !== 'pg_catalog' && r.schemaName !== 'information_schema' ? 'YES' : 'NO',
      is_typed: 'NO',
    })),
);

/** information_schema.columns.data_type: the SQL-standard spelling, without modifiers. */
function dataType(t: SqlType): string {
  switch (t.kind) {
    case 'array': return 'ARRAY';
    case 'numeric': return 'numeric';
    case 'varchar': return 'character varying';
    case 'char': return 'character';
    case 'record': return 'record';
    default: return typeName(t);
  }
}

const UDT: Record<string, string> = { char: 'bpchar' };

export const COLUMNS = relation(
  'information_schema', 'columns', 13201, 'v',
  `table_catalog name, table_schema name, table_name name, column_name name, ordinal_position int4,
   column_default text, is_nullable text, data_type text, character_maximum_length int4,
   character_octet_length int4, numeric_precision int4, numeric_precision_radix int4,
   numeric_scale int4, datetime_precision int4, interval_type text, interval_precision int4,
   character_set_catalog name, character_set_schema name, character_set_name name,
   collation_catalog name, collation_schema name, collation_name name, domain_catalog name,
   domain_schema name, domain_name name, udt_catalog name, udt_schema name, udt_name name,
   scope_catalog name, scope_schema name, scope_name name, maximum_cardinality int4,
   dtd_identifier name, is_self_referencing text, is_identity text, identity_generation text,
   identity_start text, identity_increment text, identity_maximum text, identity_minimum text,
   identity_cycle text, is_generated text, generation_expression text, is_updatable text`,
  (ctx) =>
    allRelations(ctx).flatMap((r) =>
      r.columns.map((c, i) => {
        const t = c.type;
        const udt = t.kind === 'array' ? `_${UDT[t.element.kind] ?? t.element.kind}` : (UDT[t.kind] ?? t.kind);
        const ints: Record<string, number> = { int2: 16, int4: 32, int8: 64 };
        return {
          table_catalog: ctx.database, table_schema: r.schemaName, table_name: r.name, column_name: c.name,
          ordinal_position: i + 1, column_default: r.defaults?.[i] ?? null, is_nullable: c.nullable ? 'YES' : 'NO',
          data_type: dataType(t),
          character_maximum_length: t.kind === 'varchar' || t.kind === 'char' ? (t.length ?? null) : null,
          numeric_precision: ints[t.kind] ?? (t.kind === 'numeric' ? (t.precision ?? null) : t.kind === 'float4' ? 24 : t.kind === 'float8' ? 53 : null),
          numeric_precision_radix: ints[t.kind] || t.kind === 'float4' || t.kind === 'float8' ? 2 : t.kind === 'numeric' ? 10 : null,
          numeric_scale: ints[t.kind] ? 0 : t.kind === 'numeric' ? (t.scale ?? null) : null,
          datetime_precision: ['date'].includes(t.kind) ? 0 : ['time', 'timestamp', 'timestamptz', 'interval'].includes(t.kind) ? 6 : null,
          udt_catalog: ctx.database, udt_schema: 'pg_catalog', udt_name: udt, dtd_identifier: String(i + 1),
          is_self_referencing: 'NO', is_identity: 'NO', identity_cycle: 'NO', is_generated: 'NEVER',
          is_updatable: r.type === 'BASE TABLE' ? 'YES' : 'NO',
        };
      }),
    ),
);

export const SCHEMATA = relation(
  'information_schema', 'schemata', 13202, 'v',
  `catalog_name name, schema_name name, schema_owner name, default_character_set_catalog name,
   default_character_set_schema name, default_character_set_name name, sql_path text`,
  (ctx) => {
    const names = new Set(builtinNamespaces().map(([n]) => n));
    for (const i of ctx.catalog.items()) names.add(i.schemaName);
    return [...names].map((schema_name) => ({ catalog_name: ctx.database, schema_name, schema_owner: ctx.user }));
  },
);

export const VIEWS = relation(
  'information_schema', 'views', 13203, 'v',
  `table_catalog name, table_schema name, table_name name, view_definition text, check_option text,
   is_updatable text, is_insertable_into text, is_trigger_updatable text,
   is_trigger_deletable text, is_trigger_insertable_into text`,
  (ctx) =>
    ctx.catalog
      .relations()
      .filter((r) => r.kind === 'view' || r.kind === 'materialized-view')
      .map((r) => ({
        table_catalog: ctx.database, table_schema: r.schemaName, table_name: r.name, view_definition: viewDefinition(r.viewSql),
        check_option: 'NONE', is_updatable: 'NO', is_insertable_into: 'NO', is_trigger_updatable: 'NO',
        is_trigger_deletable: 'NO', is_trigger_insertable_into: 'NO',
      })),
);

function primaryKeys(ctx: SystemContext) {
  return ctx.catalog.relations().filter((r) => r.kind === 'table' && (r.primaryKey?.length ?? 0) > 0);
}

export const TABLE_CONSTRAINTS = relation(
  'information_schema', 'table_constraints', 13204, 'v',
  `constraint_catalog name, constraint_schema name, constraint_name name, table_catalog name,
   table_schema name, table_name name, constraint_type text, is_deferrable text,
   initially_deferred text, enforced text, nulls_distinct text`,
  (ctx) =>
    primaryKeys(ctx).map((r) => ({
      constraint_catalog: ctx.database, constraint_schema: r.schemaName, constraint_name: pkeyName(r), table_catalog: ctx.database,
      table_schema: r.schemaName, table_name: r.name, constraint_type: 'PRIMARY KEY', is_deferrable: 'NO', initially_deferred: 'NO', enforced: 'YES',
    })),
);

export const KEY_COLUMN_USAGE = relation(
  'information_schema', 'key_column_usage', 13205, 'v',
  `constraint_catalog name, constraint_schema name, constraint_name name, table_catalog name,
   table_schema name, table_name name, column_name name, ordinal_position int4,
   position_in_unique_constraint int4`,
  (ctx) =>
    primaryKeys(ctx).flatMap((r) =>
      r.primaryKey!.map((c, k) => ({
        constraint_catalog: ctx.database, constraint_schema: r.schemaName, constraint_name: pkeyName(r), table_catalog: ctx.database,
        table_schema: r.schemaName, table_name: r.name, column_name: r.columns[c]!.name, ordinal_position: k + 1,
      })),
    ),
);

export const INFORMATION_SCHEMA_RELATIONS: SystemRelation[] = [TABLES, COLUMNS, SCHEMATA, VIEWS, TABLE_CONSTRAINTS, KEY_COLUMN_USAGE];
