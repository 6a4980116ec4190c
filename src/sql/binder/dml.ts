/**
 * INSERT, UPDATE, DELETE. Each plan produces rows of the table (UPDATE: old ++ new columns)
 * with values cast to the column types by assignment rules; defaults come from the
 * catalog's default expressions (bound by parsing `SELECT <expr>`), else NULL. NOT NULL and
 * keys are checked by the adapter when it applies the rows. RETURNING expressions are over
 * the table row written (inserted, new, or deleted).
 */
import type { DeleteStmt, InsertStmt, Node, ResTarget, UpdateStmt } from '@pgsql/types';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { typeName, type Schema } from '../../types/sql-type.js';
import type { CatalogRelation } from '../catalog-reader.js';
import { finalParamTypes, sqlError, type BindContext } from './bind-context.js';
import { coerce } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { bindFrom, crossJoin } from './from.js';
import type { BoundStatement } from './bound-statement.js';
import { parseExpression } from './parse-sql.js';
import { finishAsSubquery } from './query-shape.js';
import { Scope, type ScopeItem } from './scope.js';
import { bindWhere } from './subquery.js';
import { bindTargets } from './targets.js';

function targetTable(ctx: BindContext, rv: { schemaname?: string; relname?: string; location?: number } | undefined, verb: string): CatalogRelation {
  const rel = ctx.catalog.getRelation(rv?.schemaname, rv?.relname ?? '');
  if (!rel) throw sqlError(SqlState.undefinedTable, `relation "${rv?.relname}" does not exist`, rv?.location);
  if (rel.kind !== 'table') throw sqlError(SqlState.wrongObjectType, `cannot ${verb} ${rel.kind === 'system' ? 'system relation' : rel.kind.replace('-', ' ')} "${rel.name}"`, rv?.location);
  if (rel.appendOnly && verb !== 'insert into') {
    throw new SqlError(SqlState.featureNotSupported, `cannot ${verb} append-only table "${rel.name}"`, {
      detail: 'An APPEND ONLY table takes INSERT only.',
    });
  }
  return rel;
}

function tableItems(rel: CatalogRelation, alias: string, offset = 0): ScopeItem[] {
  return rel.columns.map((c, i) => ({ table: alias, name: c.name, index: i + offset, type: c.type }));
}

/** Coerces a value for column `i` with assignment rules and Postgres's 42804 message. */
function assign(ctx: BindContext, rel: CatalogRelation, i: number, e: ScalarExpr, location?: number): ScalarExpr {
  const c = rel.columns[i]!;
  try {
    return coerce(ctx, e, c.type, 'assignment', location);
  } catch (err) {
    if (SqlError.is(err) && (err.code === SqlState.datatypeMismatch || err.code === SqlState.cannotCoerce)) {
      throw sqlError(SqlState.datatypeMismatch, `column "${c.name}" is of type ${typeName(c.type)} but expression is of type ${typeName(e.type)}`, location, {
        hint: 'You will need to rewrite or cast the expression.',
      });
    }
    throw err;
  }
}

function defaultValue(ctx: BindContext, rel: CatalogRelation, i: number): ScalarExpr {
  const text = rel.defaults?.[i];
  const type = rel.columns[i]!.type;
  if (text === undefined) return { kind: 'Literal', value: null, type };
  const env: ExprEnv = { ctx, scope: new Scope([]), rel: { plan: P.constant([[]], []) }, clause: 'DEFAULT', subqueries: 'forbid' };
  return assign(ctx, rel, i, bindExpr(env, parseExpression(text)));
}

function returning(ctx: BindContext, rel: CatalogRelation, alias: string, list: Node[] | undefined): { returning?: ScalarExpr[]; returningSchema?: Schema } {
  if (!list || list.length === 0) return {};
  const env: ExprEnv = { ctx, scope: new Scope(tableItems(rel, alias)), rel: { plan: P.get(rel.id, rel.name, rel.columns) }, clause: 'RETURNING', subqueries: 'forbid' };
  const targets = bindTargets(env, list);
  return { returning: targets.map((t) => t.expr), returningSchema: targets.map((t) => ({ name: t.name, type: t.expr.type, nullable: true })) };
}

export function bindInsert(ctx: BindContext, s: InsertStmt): BoundStatement {
  if (s.onConflictClause) {
    throw sqlError(SqlState.featureNotSupported, 'INSERT ... ON CONFLICT is not supported', undefined);
  }
  const rel = targetTable(ctx, s.relation, 'insert into');
  const n = rel.columns.length;
  const cols = (s.cols ?? []).map((c) => {
    const rt = (c as { ResTarget: ResTarget }).ResTarget;
    const i = rel.columns.findIndex((col) => col.name === rt.name);
    if (i < 0) throw sqlError(SqlState.undefinedColumn, `column "${rt.name}" of relation "${rel.name}" does not exist`, rt.location);
    return i;
  });
  if (new Set(cols).size !== cols.length) throw sqlError(SqlState.duplicateColumn, 'column specified more than once', undefined);
  // Without a column list, the values fill the first columns (the rest take defaults).
  let target = cols.length > 0 ? cols : P.range(n);
  const implicitWidth = (k: number): void => {
    if (cols.length === 0 && k <= n) target = P.range(k);
  };
  const sel = s.selectStmt && 'SelectStmt' in s.selectStmt ? s.selectStmt.SelectStmt : undefined;
  const empty: LogicalPlan = P.constant([[]], []);
  const env: ExprEnv = { ctx, scope: new Scope([]), rel: { plan: empty }, clause: 'VALUES', subqueries: 'forbid' };
  const fullRow = (given: (ScalarExpr | 'default')[]): ScalarExpr[] =>
    rel.columns.map((_, i) => {
      const k = target.indexOf(i);
      const v = k >= 0 ? given[k] : 'default';
      return v === undefined || v === 'default' ? defaultValue(ctx, rel, i) : v;
    });
  let plan: LogicalPlan;
  const tooMany = (more: boolean): SqlError =>
    sqlError(SqlState.syntaxError, `INSERT has more ${more ? 'expressions than target columns' : 'target columns than expressions'}`, undefined);
  if (!sel) {
    plan = rowsPlan([fullRow([])], rel);
  } else if (sel.valuesLists && (!sel.op || sel.op === 'SETOP_NONE')) {
    const rows = sel.valuesLists!.map((l) => (l as { List: { items?: Node[] } }).List.items ?? []);
    implicitWidth(rows[0]?.length ?? 0);
    const bound = rows.map((items) => {
      if (items.length !== target.length) throw tooMany(items.length > target.length);
      return fullRow(items.map((item, k) => ('SetToDefault' in item ? 'default' : assign(ctx, rel, target[k]!, bindExpr(env, item), nodeLocation(item)))));
    });
    plan = rowsPlan(bound, rel);
  } else {
    const q = ctx.bindQuery(sel, { ctes: [] });
    implicitWidth(q.columns.length);
    if (q.columns.length !== target.length) throw tooMany(q.columns.length > target.length);
    const src = finishAsSubquery(q);
    const given = q.columns.map((c, k) => assign(ctx, rel, target[k]!, { kind: 'Column', index: k, type: c.type }));
    const row = fullRow(given);
    const w = src.schema.length;
    plan = P.project(P.map(src, row), P.range(n, w), rel.columns.map((c) => c.name));
  }
  return { kind: 'Insert', tableId: rel.id, plan, ...returning(ctx, rel, rel.name, s.returningClause?.exprs), paramTypes: finalParamTypes(ctx) };
}

function rowsPlan(rows: ScalarExpr[][], rel: CatalogRelation): LogicalPlan {
  const schema = rel.columns.map((c) => ({ ...c, nullable: true }));
  if (rows.every((r) => r.every((e) => e.kind === 'Literal'))) {
    return P.constant(rows.map((r) => r.map((e) => (e.kind === 'Literal' ? e.value : null))), schema);
  }
  const empty: LogicalPlan = P.constant([[]], []);
  return P.union(rows.map((r) => P.map(empty, r, rel.columns.map((c) => c.name))));
}

export function bindUpdate(ctx: BindContext, s: UpdateStmt): BoundStatement {
  const rel = targetTable(ctx, s.relation, 'update');
  if (s.fromClause?.length) throw sqlError(SqlState.featureNotSupported, 'UPDATE … FROM is not supported yet', undefined);
  const n = rel.columns.length;
  const alias = s.relation?.alias?.aliasname ?? rel.name;
  const env: ExprEnv = { ctx, scope: new Scope(tableItems(rel, alias)), rel: { plan: P.get(rel.id, `${rel.schemaName}.${rel.name}`, rel.columns) }, clause: 'WHERE', subqueries: 'join' };
  if (s.whereClause) bindWhere(env, s.whereClause);
  const newRow: ScalarExpr[] = rel.columns.map((c, i) => ({ kind: 'Column', index: i, type: c.type, name: c.name }));
  const set = new Set<number>();
  const sel: ExprEnv = { ...env, clause: 'UPDATE' };
  for (const t of s.targetList ?? []) {
    const rt = (t as { ResTarget: ResTarget }).ResTarget;
    if (rt.val && 'MultiAssignRef' in rt.val) throw sqlError(SqlState.featureNotSupported, 'multiple-column UPDATE is not supported yet', rt.location);
    const i = rel.columns.findIndex((c) => c.name === rt.name);
    if (i < 0) throw sqlError(SqlState.undefinedColumn, `column "${rt.name}" of relation "${rel.name}" does not exist`, rt.location);
    if (set.has(i)) throw sqlError(SqlState.syntaxError, `multiple assignments to same column "${rt.name}"`, rt.location);
    set.add(i);
    newRow[i] = 'SetToDefault' in rt.val! ? defaultValue(ctx, rel, i) : assign(ctx, rel, i, bindExpr(sel, rt.val!), nodeLocation(rt.val));
  }
  const base = env.rel.plan;
  const w = base.schema.length;
  const mapped = P.map(base, newRow, rel.columns.map((c) => c.name));
  const plan = P.project(mapped, [...P.range(n), ...P.range(n, w)]);
  return { kind: 'Update', tableId: rel.id, plan, ...returning(ctx, rel, alias, s.returningClause?.exprs), paramTypes: finalParamTypes(ctx) };
}

export function bindDelete(ctx: BindContext, s: DeleteStmt): BoundStatement {
  const rel = targetTable(ctx, s.relation, 'delete from');
  const alias = s.relation?.alias?.aliasname ?? rel.name;
  let from = { plan: P.get(rel.id, `${rel.schemaName}.${rel.name}`, rel.columns) as LogicalPlan, items: tableItems(rel, alias) };
  if (s.usingClause?.length) from = crossJoin(from, bindFrom(ctx, s.usingClause, { ctes: [] }));
  const env: ExprEnv = { ctx, scope: new Scope(from.items), rel: { plan: from.plan }, clause: 'WHERE', subqueries: 'join' };
  if (s.whereClause) bindWhere(env, s.whereClause);
  let plan = P.narrow(env.rel.plan, rel.columns.length);
  if (s.usingClause?.length) plan = P.distinct(plan);
  return { kind: 'Delete', tableId: rel.id, plan, ...returning(ctx, rel, alias, s.returningClause?.exprs), paramTypes: finalParamTypes(ctx) };
}
