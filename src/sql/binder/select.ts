/**
 * The SELECT core: FROM → WHERE → row_number() ranking → GROUP BY / aggregates / HAVING →
 * select list → DISTINCT [ON] → ORDER BY / LIMIT (left to the caller, see query-shape.ts).
 *
 * Under a decorrelation domain (a correlated subquery, see subquery.ts) the plan starts
 * with the domain's columns, which then lead every grouping, DISTINCT and TopK key.
 */
import type { Node, SelectStmt, SortBy } from '@pgsql/types';
import type { LogicalPlan, SortKey } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { scalarKey } from '../../plan/scalar-util.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext, type BoundQuery, type QueryEnv } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { bindFrom, shiftItems } from './from.js';
import { bindGrouped, hasAggregates } from './grouping.js';
import { bindLimit } from './limit.js';
import { Scope } from './scope.js';
import { sortDirection } from './sort.js';
import { bindWhere } from './subquery.js';
import { bindTargets, outputReference, type Target } from './targets.js';
import { applySetReturning, newSrfCollector } from './set-returning.js';
import { bindWindow } from './window.js';

export function bindSelectCore(ctx: BindContext, stmt: SelectStmt, qenv: QueryEnv): BoundQuery {
  const from = bindFrom(ctx, stmt.fromClause, qenv);
  let plan: LogicalPlan = from.plan;
  let scope: Scope;
  const c = qenv.domain ? qenv.domain.plan.schema.length : 0;
  if (qenv.domain) {
    plan = P.join('inner', qenv.domain.plan, from.plan, { kind: 'Literal', value: true, type: { kind: 'bool' } });
    scope = new Scope(shiftItems(from.items, c), qenv.domain.scope, 'same-plan');
  } else {
    scope = new Scope(from.items, qenv.parent, 'outer', qenv.correlated);
  }
  const env: ExprEnv = { ctx, scope, rel: { plan }, clause: 'WHERE', subqueries: 'join', ctes: qenv.ctes };
  if (stmt.whereClause) bindWhere(env, stmt.whereClause);

  const targetNodes = stmt.targetList ?? [];
  const grouped = (stmt.groupClause?.length ?? 0) > 0 || !!stmt.havingClause || hasAggregates([...targetNodes, ...sortNodes(stmt)]);
  let targets: Target[];
  let order: { key: SortKey; output?: number }[];
  if (grouped) {
    const g = bindGrouped(env, stmt, c, qenv.domain?.plan);
    targets = g.targets;
    order = g.order;
  } else {
    bindWindow(env, [...targetNodes, ...sortNodes(stmt)], c, stmt.windowClause);
    const srfs = newSrfCollector();
    const sel: ExprEnv = { ...env, clause: 'select list', srfs };
    targets = bindTargets(sel, targetNodes);
    order = bindOrderBy(sel, stmt.sortClause, targets);
    applySetReturning(env, srfs, targets, order);
  }
  return shapeOutput(env, stmt, c, targets, order);
}

function sortNodes(stmt: SelectStmt): Node[] {
  return (stmt.sortClause ?? []).map((s) => (s as { SortBy: SortBy }).SortBy.node!).filter(Boolean);
}

/** ORDER BY items over the current env: output positions, output names, or expressions. */
export function bindOrderBy(env: ExprEnv, sortClause: Node[] | undefined, targets: Target[]): { key: SortKey; output?: number }[] {
  return (sortClause ?? []).map((n) => {
    const s = (n as { SortBy: SortBy }).SortBy;
    const dir = sortDirection(s);
    const out = outputReference(s.node!, targets, 'ORDER BY', true, () => false);
    if (out !== undefined) return { key: { expr: targets[out]!.expr, ...dir }, output: out };
    const expr = resolveUnknown(env.ctx, bindExpr({ ...env, clause: 'ORDER BY' }, s.node!));
    return { key: { expr, ...dir } };
  });
}

/**
 * Appends the targets (and hidden ORDER BY expressions) to `env.rel.plan` and projects
 * domain ++ targets ++ hidden; then DISTINCT / DISTINCT ON.
 */
export function shapeOutput(
  env: ExprEnv,
  stmt: SelectStmt,
  c: number,
  targets: Target[],
  order: { key: SortKey; output?: number }[],
): BoundQuery {
  const base = env.rel.plan;
  const width = base.schema.length;
  const exprs: ScalarExpr[] = [];
  const names: string[] = [];
  const outputs: number[] = P.range(c);
  const place = (e: ScalarExpr, name: string): number => {
    if (e.kind === 'Column' && e.index >= 0 && e.index < width) return e.index;
    exprs.push(e);
    names.push(name);
    return width + exprs.length - 1;
  };
  for (const t of targets) outputs.push(place(t.expr, t.name));
  const targetKeys = targets.map((t) => scalarKey(t.expr));
  const distinctOn = stmt.distinctClause && stmt.distinctClause.length > 0 && Object.keys(stmt.distinctClause[0]!).length > 0;
  const isDistinct = stmt.distinctClause && !distinctOn;
  const sortKeys: SortKey[] = order.map(({ key, output }) => {
    let idx = output ?? targetKeys.indexOf(scalarKey(key.expr));
    if (idx < 0) {
      if (isDistinct) {
        throw sqlError(SqlState.invalidColumnReference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', undefined);
      }
      outputs.push(place(key.expr, '?order?'));
      idx = outputs.length - 1 - c;
    }
    return { expr: { kind: 'Column', index: c + idx, type: key.expr.type }, desc: key.desc, nullsFirst: key.nullsFirst };
  });
  let plan: LogicalPlan = P.map(base, exprs, names);
  const outNames = [...plan.schema.slice(0, c).map((col) => col.name), ...targets.map((t) => t.name)];
  plan = P.project(plan, outputs, outNames);
  if (isDistinct) plan = P.distinct(plan);
  if (distinctOn) {
    const onKeys = stmt.distinctClause!.map((n) => {
      const out = outputReference(n, targets, 'SELECT DISTINCT ON', true, () => false);
      if (out !== undefined) return c + out;
      const e = bindExpr({ ...env, clause: 'DISTINCT ON' }, n);
      const k = targetKeys.indexOf(scalarKey(e));
      if (k < 0) throw sqlError(SqlState.featureNotSupported, 'DISTINCT ON expressions must appear in the select list', undefined);
      return c + k;
    });
    plan = P.topK(plan, [...P.range(c), ...onKeys], sortKeys, 1, 0);
  }
  return { plan, domainWidth: c, columns: targets.map((t) => ({ name: t.name, type: t.expr.type })), order: sortKeys, ...bindLimit(env.ctx, stmt) };
}
