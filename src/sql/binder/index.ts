/**
 * The binder's entry points: libpg-query statement ASTs → BoundStatement (plans + what the
 * adapter needs), view queries → plans, and SQL type names → SqlType.
 */
import type { Node, SelectStmt } from '@pgsql/types';
import type { Finishing, LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import { SqlState } from '../../types/sql-error.js';
import type { Schema, SqlType } from '../../types/sql-type.js';
import type { CatalogReader } from '../catalog-reader.js';
import { finalParamTypes, newContext, sqlError, type BindContext, type BindOptions, type BoundQuery } from './bind-context.js';
import type { BoundStatement } from './bound-statement.js';
import { bindDelete, bindInsert, bindUpdate } from './dml.js';
import { bindQueryExpr } from './query.js';
import { finishing, finishAsSubquery } from './query-shape.js';

export { resolveTypeExpr, resolveTypeName } from './type-names.js';
export type { BindOptions } from './bind-context.js';

function makeContext(catalog: CatalogReader, opts: BindOptions): BindContext {
  const holder: { ctx?: BindContext } = {};
  holder.ctx = newContext(catalog, opts, (stmt, env) => bindQueryExpr(holder.ctx!, stmt, env));
  return holder.ctx;
}

function schemaOf(q: BoundQuery, plan: LogicalPlan): Schema {
  return q.columns.map((c, i) => ({ name: c.name, type: c.type, nullable: plan.schema[i]?.nullable ?? true }));
}

export function bindStatement(stmt: Node, catalog: CatalogReader, opts: BindOptions): BoundStatement {
  const ctx = makeContext(catalog, opts);
  if ('SelectStmt' in stmt) {
    if (stmt.SelectStmt.intoClause) throw sqlError(SqlState.featureNotSupported, 'SELECT INTO is not supported', undefined);
    const q = ctx.bindQuery(stmt.SelectStmt, { ctes: [] });
    return { kind: 'Select', plan: q.plan, finishing: finishing(q), schema: schemaOf(q, q.plan), paramTypes: finalParamTypes(ctx) };
  }
  if ('InsertStmt' in stmt) return bindInsert(ctx, stmt.InsertStmt);
  if ('UpdateStmt' in stmt) return bindUpdate(ctx, stmt.UpdateStmt);
  if ('DeleteStmt' in stmt) return bindDelete(ctx, stmt.DeleteStmt);
  throw sqlError(SqlState.featureNotSupported, `statement ${Object.keys(stmt)[0]} is not a query`, undefined);
}

/**
 * A view's query. Its LIMIT/OFFSET become a TopK in the plan (a view is a relation); the
 * returned finishing keeps the ORDER BY for information and limits nothing.
 */
export function bindQuery(
  stmt: SelectStmt,
  catalog: CatalogReader,
  opts: BindOptions,
): { plan: LogicalPlan; schema: Schema; finishing: Finishing; paramTypes: SqlType[] } {
  const ctx = makeContext(catalog, opts);
  const q = ctx.bindQuery(stmt, { ctes: [] });
  const plan = finishAsSubquery(q);
  const order = q.order.filter((k) => k.expr.kind === 'Column' && k.expr.index < q.columns.length);
  return {
    plan: P.narrow(plan, q.columns.length),
    schema: schemaOf(q, plan),
    finishing: { order, limit: null, offset: 0, project: P.range(q.columns.length) },
    paramTypes: finalParamTypes(ctx),
  };
}
