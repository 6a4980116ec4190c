/**
 * Re-planning: a CREATE statement's AST → the catalog item it defines (columns, keys,
 * defaults, dependencies). Used both when the statement runs and when the catalog is loaded
 * at start, so what is stored is only the CREATE text.
 */
import type { ColumnDef, Constraint, CreateStmt, CreateTableAsStmt, IndexStmt, Node, SelectStmt, ViewStmt } from '@pgsql/types';
import { deparseSync } from 'pgsql-deparser';
import { bindQuery, resolveTypeName } from '../sql/binder/index.js';
import type { CatalogReader } from '../sql/catalog-reader.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { Column } from '../types/sql-type.js';
import type { IndexItem, RelationItem } from './catalog-item.js';
import { DEFAULT_SCHEMA } from './catalog.js';
import { referencedFunctionIds } from './plan-function.js';

export function planCreateTable(stmt: CreateStmt, id: string, sql: string): RelationItem {
  const name = stmt.relation?.relname ?? '';
  const columns: Column[] = [];
  const defaults: (string | undefined)[] = [];
  let primaryKey: number[] | undefined;
  const pkNames: string[] = [];
  for (const elt of stmt.tableElts ?? []) {
    if ('ColumnDef' in elt) {
      const def = elt.ColumnDef as ColumnDef;
      const colname = def.colname ?? '';
      if (columns.some((c) => c.name === colname)) {
        throw new SqlError(SqlState.duplicateColumn, `column "${colname}" specified more than once`);
      }
      let nullable = true;
      let dflt: string | undefined;
      for (const c of def.constraints ?? []) {
        const con = (c as { Constraint: Constraint }).Constraint;
        switch (con.contype) {
          case 'CONSTR_NOTNULL':
            nullable = false;
            break;
          case 'CONSTR_PRIMARY':
            nullable = false;
            pkNames.push(colname);
            break;
          case 'CONSTR_DEFAULT':
            dflt = con.raw_expr ? deparseSync(con.raw_expr) : undefined;
            break;
          case 'CONSTR_NULL':
            break;
          default:
            throw unsupportedConstraint(con);
        }
      }
      if (!def.typeName) throw new SqlError(SqlState.syntaxError, `column "${colname}" has no type`);
      columns.push({ name: colname, type: resolveTypeName(def.typeName), nullable });
      defaults.push(dflt);
    } else if ('Constraint' in elt) {
      const con = elt.Constraint as Constraint;
      if (con.contype !== 'CONSTR_PRIMARY') throw unsupportedConstraint(con);
      if (pkNames.length > 0) {
        throw new SqlError(SqlState.invalidTableDefinition, `multiple primary keys for table "${name}" are not allowed`);
      }
      for (const k of con.keys ?? []) pkNames.push((k as { String: { sval: string } }).String.sval);
    } else {
      throw new SqlError(SqlState.featureNotSupported, 'CREATE TABLE element not supported', {
        detail: `weir supports column definitions and PRIMARY KEY; got ${Object.keys(elt)[0]}.`,
      });
    }
  }
  if (columns.length === 0) {
    throw new SqlError(SqlState.featureNotSupported, 'tables without columns are not supported');
  }
  if (pkNames.length > 0) {
    primaryKey = pkNames.map((n) => {
      const i = columns.findIndex((c) => c.name === n);
      if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${n}" named in key does not exist`);
      columns[i]!.nullable = false;
      return i;
    });
  }
  return {
    id,
    kind: 'table',
    schemaName: schemaOf(stmt.relation?.schemaname),
    name,
    columns,
    primaryKey,
    defaults,
    sql,
    dependsOn: [],
  };
}

function unsupportedConstraint(con: Constraint): SqlError {
  const what = (con.contype ?? 'CONSTR').replace('CONSTR_', '').toLowerCase();
  return new SqlError(SqlState.featureNotSupported, `${what} constraints are not supported`, {
    detail: 'weir supports PRIMARY KEY, NOT NULL and DEFAULT.',
  });
}

/** CREATE VIEW and CREATE MATERIALIZED VIEW. */
export function planCreateView(
  stmt: { ViewStmt: ViewStmt } | { CreateTableAsStmt: CreateTableAsStmt },
  id: string,
  sql: string,
  catalog: CatalogReader,
): RelationItem {
  const materialized = 'CreateTableAsStmt' in stmt;
  const rel = materialized ? stmt.CreateTableAsStmt.into?.rel : stmt.ViewStmt.view;
  const query = materialized ? stmt.CreateTableAsStmt.query : stmt.ViewStmt.query;
  const aliasNodes = materialized ? stmt.CreateTableAsStmt.into?.colNames : stmt.ViewStmt.aliases;
  if (!rel || !query) throw new SqlError(SqlState.syntaxError, 'view definition is incomplete');
  const bound = bindQuery(selectOf(query), catalog, { paramTypes: [], sql });
  if (bound.paramTypes.length > 0) {
    throw new SqlError(SqlState.undefinedParameter, 'there is no parameter $1', {
      detail: 'A view definition cannot hold parameters.',
    });
  }
  const aliases = (aliasNodes ?? []).map((n) => (n as { String: { sval: string } }).String.sval);
  if (aliases.length > bound.schema.length) {
    throw new SqlError(SqlState.syntaxError, 'CREATE VIEW specifies more column names than columns');
  }
  const columns = bound.schema.map((c, i) => ({ ...c, name: aliases[i] ?? c.name }));
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new SqlError(SqlState.duplicateColumn, `column "${c.name}" specified more than once`);
    names.add(c.name);
  }
  return {
    id,
    kind: materialized ? 'materialized-view' : 'view',
    schemaName: schemaOf(rel.schemaname),
    name: rel.relname ?? '',
    columns,
    viewSql: deparseSync(query),
    sql,
    dependsOn: referencedIds(query, catalog),
  };
}

export function planCreateIndex(stmt: IndexStmt, id: string, sql: string, catalog: CatalogReader): IndexItem {
  const on = catalog.getRelation(stmt.relation?.schemaname, stmt.relation?.relname ?? '');
  if (!on) throw new SqlError(SqlState.undefinedTable, `relation "${stmt.relation?.relname}" does not exist`);
  if (on.kind === 'system') throw new SqlError(SqlState.featureNotSupported, `indexes on system relation "${on.name}" are not supported`);
  const columns = (stmt.indexParams ?? []).map((p) => {
    const name = (p as { IndexElem: { name?: string } }).IndexElem.name;
    if (!name) throw new SqlError(SqlState.featureNotSupported, 'indexes on expressions are not supported');
    if (!on.columns.some((c) => c.name === name)) {
      throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`);
    }
    return name;
  });
  const name = stmt.idxname ?? `${on.name}_${columns.join('_')}_idx`;
  return { id, kind: 'index', schemaName: on.schemaName, name, sql, onId: on.id, columns, dependsOn: [on.id] };
}

/** Ids of the catalog relations a query names anywhere (FROM items, subqueries, CTE bodies), and of the SQL functions it calls. */
export function referencedIds(query: Node, catalog: CatalogReader): string[] {
  const ids = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'RangeVar') {
          const rv = x as { schemaname?: string; relname?: string };
          const rel = catalog.getRelation(rv.schemaname, rv.relname ?? '');
          if (rel && rel.kind !== 'system') ids.add(rel.id);
        } else if (k === 'RangeFunction') {
          // Window functions in FROM name their relation as the first argument: TUMBLE(bids, ts, …).
          for (const f of (x as { functions?: { List?: { items?: Node[] } }[] }).functions ?? []) {
            const call = f.List?.items?.[0] as { FuncCall?: { args?: Node[] } } | undefined;
            const first = call?.FuncCall?.args?.[0] as { ColumnRef?: { fields?: Node[] } } | undefined;
            const names = (first?.ColumnRef?.fields ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval);
            if (names.length >= 1 && names.length <= 2 && names.every((n) => n !== undefined)) {
              const rel = catalog.getRelation(names.length === 2 ? names[0] : undefined, names[names.length - 1]!);
              if (rel && rel.kind !== 'system') ids.add(rel.id);
            }
          }
          visit(x);
        } else {
          visit(x);
        }
      }
    }
  };
  visit(query);
  for (const f of referencedFunctionIds(query, catalog)) ids.add(f);
  return [...ids];
}

/** The SELECT of a view definition (VALUES and set operations are SelectStmts too). */
export function selectOf(query: Node): SelectStmt {
  if (!('SelectStmt' in query)) throw new SqlError(SqlState.syntaxError, 'a view must be defined by a query');
  return query.SelectStmt;
}

function schemaOf(name: string | undefined): string {
  return name ?? DEFAULT_SCHEMA;
}
