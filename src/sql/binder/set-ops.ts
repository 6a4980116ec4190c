/**
 * UNION / EXCEPT / INTERSECT [ALL] and VALUES. Branch columns are unified to common types
 * (common-type.ts). Over Z-sets (A, B the branches; D = Distinct):
 *
 *   UNION ALL      A + B                     UNION      D(A + B)
 *   EXCEPT ALL     Threshold(A − B)          EXCEPT     Threshold(D(A) − D(B))
 *   INTERSECT ALL  A − Threshold(A − B)      INTERSECT  D(A) − Threshold(D(A) − D(B))
 *
 * (multiplicities: EXCEPT ALL keeps max(a − b, 0) copies, INTERSECT ALL min(a, b) = a − max(a − b, 0)).
 * ORDER BY / LIMIT on the result name output columns by position or name.
 */
import type { Node, SelectStmt } from '@pgsql/types';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext, type BoundQuery, type QueryEnv } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { commonType, unify } from './common-type.js';
import { coerce } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { bindLimit } from './limit.js';
import { finishAsSubquery } from './query-shape.js';
import { Scope } from './scope.js';
import { bindOrderBy } from './select.js';

function castColumns(ctx: BindContext, plan: LogicalPlan, types: import('../../types/sql-type.js').SqlType[]): LogicalPlan {
  const w = plan.schema.length;
  const exprs: ScalarExpr[] = [];
  const outputs = plan.schema.map((c, i) => {
    const e = coerce(ctx, { kind: 'Column', index: i, type: c.type }, types[i]!, 'implicit');
    if (e.kind === 'Column' && e.index === i) return i;
    exprs.push(e);
    return w + exprs.length - 1;
  });
  if (exprs.length === 0) return plan;
  return P.project(P.map(plan, exprs), outputs, plan.schema.map((c) => c.name));
}

export function bindSetOp(ctx: BindContext, stmt: SelectStmt, qenv: QueryEnv): BoundQuery {
  if (qenv.domain) throw sqlError(SqlState.featureNotSupported, 'correlated set operations are not supported yet', undefined);
  const sub: QueryEnv = { ...qenv };
  const l = ctx.bindQuery(stmt.larg!, sub);
  const r = ctx.bindQuery(stmt.rarg!, sub);
  const opName = stmt.op === 'SETOP_UNION' ? 'UNION' : stmt.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
  if (l.columns.length !== r.columns.length) {
    throw sqlError(SqlState.syntaxError, `each ${opName} query must have the same number of columns`, undefined);
  }
  const types = l.columns.map((c, i) => commonType([c.type, r.columns[i]!.type], opName));
  const a = castColumns(ctx, finishAsSubquery(l), types);
  const b = castColumns(ctx, finishAsSubquery(r), types);
  let plan: LogicalPlan;
  const all = !!stmt.all;
  const da = all ? a : P.distinct(a);
  const db = all ? b : P.distinct(b);
  switch (stmt.op) {
    case 'SETOP_UNION':
      plan = all ? P.union([a, b]) : P.distinct(P.union([a, b]));
      break;
    case 'SETOP_EXCEPT':
      plan = P.threshold(P.union([da, P.negate(db)]));
      break;
    default:
      plan = P.union([da, P.negate(P.threshold(P.union([da, P.negate(db)])))]);
  }
  const columns = l.columns.map((c, i) => ({ name: c.name, type: types[i]! }));
  return orderResult(ctx, stmt, plan, columns);
}

/** ORDER BY / LIMIT over a set operation or VALUES: only output columns are visible. */
function orderResult(ctx: BindContext, stmt: SelectStmt, plan: LogicalPlan, columns: { name: string; type: import('../../types/sql-type.js').SqlType }[]): BoundQuery {
  const scope = new Scope(columns.map((c, i) => ({ name: c.name, index: i, type: c.type })));
  const env: ExprEnv = { ctx, scope, rel: { plan }, clause: 'ORDER BY', subqueries: 'forbid' };
  const targets = columns.map((c, i) => ({ name: c.name, expr: { kind: 'Column', index: i, type: c.type } as ScalarExpr }));
  const order = bindOrderBy(env, stmt.sortClause, targets).map((o) => {
    if (o.key.expr.kind !== 'Column') {
      throw sqlError(SqlState.featureNotSupported, 'ORDER BY on a UNION/INTERSECT/EXCEPT result must be on one of the result columns', undefined);
    }
    return o.key;
  });
  return { plan, domainWidth: 0, columns, order, ...bindLimit(ctx, stmt) };
}

export function bindValues(ctx: BindContext, stmt: SelectStmt, qenv: QueryEnv): BoundQuery {
  if (qenv.domain) throw sqlError(SqlState.featureNotSupported, 'correlated VALUES are not supported yet', undefined);
  const rows = (stmt.valuesLists ?? []).map((n) => ((n as { List: { items?: Node[] } }).List.items ?? []));
  const width = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== width)) throw sqlError(SqlState.syntaxError, 'VALUES lists must all be the same length', nodeLocation(rows.find((r) => r.length !== width)?.[0]));
  const empty: LogicalPlan = P.constant([[]], []);
  const env: ExprEnv = { ctx, scope: new Scope([], qenv.parent, 'outer', qenv.correlated), rel: { plan: empty }, clause: 'VALUES', subqueries: 'forbid', ctes: qenv.ctes };
  const cells = rows.map((r) => r.map((n) => bindExpr(env, n)));
  const cols: ScalarExpr[][] = [];
  for (let j = 0; j < width; j++) {
    cols.push(unify(ctx, cells.map((r) => r[j]!), 'VALUES', rows.map((r) => nodeLocation(r[j]))).map((e) => resolveUnknown(ctx, e)));
  }
  const names = Array.from({ length: width }, (_, j) => `column${j + 1}`);
  const schema = cols.map((c, j) => ({ name: names[j]!, type: c[0]!.type, nullable: true }));
  let plan: LogicalPlan;
  if (cols.every((c) => c.every((e) => e.kind === 'Literal'))) {
    plan = P.constant(rows.map((_, i) => cols.map((c) => (c[i] as { value: import('../../types/datum.js').Datum }).value)), schema);
  } else {
    plan = P.union(rows.map((_, i) => P.map(empty, cols.map((c) => c[i]!), names)));
  }
  return orderResult(ctx, stmt, plan, schema.map((c) => ({ name: c.name, type: c.type })));
}
