/**
 * The convenience views over pg_class: pg_tables (tables and sources), pg_views (views, with
 * their SELECT text) and pg_matviews (materialized views, with theirs).
 */
import { relation, type SystemRelation } from './system-relation.js';

export const PG_TABLES = relation(
  'pg_catalog', 'pg_tables', 12010, 'v',
  `schemaname name, tablename name, tableowner name, tablespace name, hasindexes bool,
   hasrules bool, hastriggers bool, rowsecurity bool`,
  (ctx) => {
    const indexed = new Set(ctx.catalog.items().flatMap((i) => (i.kind === 'index' ? [i.onId] : [])));
    return ctx.catalog
      .relations()
      .filter((r) => r.kind === 'table' || r.kind === 'source')
      .map((r) => ({
        schemaname: r.schemaName, tablename: r.name, tableowner: ctx.user,
        hasindexes: indexed.has(r.id) || (r.primaryKey?.length ?? 0) > 0, hasrules: false, hastriggers: false, rowsecurity: false,
      }));
  },
);

export const PG_VIEWS = relation(
  'pg_catalog', 'pg_views', 12011, 'v',
  'schemaname name, viewname name, viewowner name, definition text',
  (ctx) =>
    ctx.catalog
      .relations()
      .filter((r) => r.kind === 'view')
      .map((r) => ({ schemaname: r.schemaName, viewname: r.name, viewowner: ctx.user, definition: viewDefinition(r.viewSql) })),
);

export const PG_MATVIEWS = relation(
  'pg_catalog', 'pg_matviews', 12012, 'v',
  `schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes bool,
   ispopulated bool, definition text`,
  (ctx) => {
    const indexed = new Set(ctx.catalog.items().flatMap((i) => (i.kind === 'index' ? [i.onId] : [])));
    return ctx.catalog
      .relations()
      .filter((r) => r.kind === 'materialized-view')
      .map((r) => ({
        schemaname: r.schemaName, matviewname: r.name, matviewowner: ctx.user, hasindexes: indexed.has(r.id),
        ispopulated: true, definition: viewDefinition(r.viewSql),
      }));
  },
);

/** pg_get_viewdef's form: the SELECT, indented one space, ending with a semicolon. */
export function viewDefinition(sql: string | undefined): string | null {
  return sql === undefined ? null : ` ${sql.trim()};`;
}

export const VIEW_RELATIONS: SystemRelation[] = [PG_TABLES, PG_VIEWS, PG_MATVIEWS];
