/**
 * GROUP BY / aggregates / HAVING (a window call among the GROUP BY items: group-window.ts). The select list, HAVING and ORDER BY are bound over the
 * FROM plan while collecting aggregates (aggregates.ts), then moved onto the Reduce output
 * by `groupRewrite`. Under a decorrelation domain the domain columns lead the group key,
 * and a query without GROUP BY gets Postgres's "one row even for no input" per domain row
 * by a left join from the domain (count() of no rows is 0, the other aggregates NULL).
 */
import type { Node, SelectStmt } from '@pgsql/types';
import type { LogicalPlan, SortKey } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { and, scalarKey } from '../../plan/scalar-util.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { groupRewrite, isAggregateName } from './aggregates.js';
import { bindCondition, bindExpr, nodeLocation } from './expr.js';
import { aggPlaceholderIndex, type AggCollector, type ExprEnv } from './expr-env.js';
import { visitScalar } from '../../plan/scalar-util.js';
import { bindOrderBy } from './select.js';
import { nullSafeEquals, applyUncorrelatedSubLink } from './subquery.js';
import { bindTargets, outputReference, type Target } from './targets.js';
import { bindGroupWindow } from './group-window.js';

/** Whether the nodes call an aggregate (outside subqueries and window calls). */
export function hasAggregates(nodes: Node[]): boolean {
  let found = false;
  const walk = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    for (const [k, v] of Object.entries(x)) {
      if (k === 'subselect') continue;
      if (k === 'FuncCall') {
        const f = v as { funcname?: Node[]; over?: unknown };
        const names = (f.funcname ?? []).map((n) => ('String' in n ? n.String.sval : ''));
        if (!f.over && isAggregateName((names[names.length - 1] ?? '').toLowerCase())) found = true;
      }
      walk(v);
    }
  };
  walk(nodes);
  return found;
}

export function bindGrouped(env: ExprEnv, stmt: SelectStmt, c: number, domainPlan?: LogicalPlan): { targets: Target[]; order: { key: SortKey; output?: number }[] } {
  // GROUP BY TUMBLE / HOP / SESSION(…): the window goes onto the FROM plan, its bounds into the key.
  const window = bindGroupWindow(env, stmt.groupClause ?? [], c);
  if (window) env = { ...env, groupWindow: window.window };
  const aggs: AggCollector = { aggs: [], names: [], byKey: new Map() };
  const deferred: NonNullable<ExprEnv['deferred']> = [];
  const pre: ExprEnv = { ...env, clause: 'select list', aggs, subqueries: 'defer', deferred };
  const targets = bindTargets(pre, stmt.targetList);
  const keyEnv: ExprEnv = { ...env, clause: 'GROUP BY', subqueries: 'forbid' };
  const scopeHas = (name: string): boolean => env.scope.items.some((i) => i.name === name && !i.qualifiedOnly);
  const userKeys = (window?.rest ?? stmt.groupClause ?? []).map((n) => {
    if ('GroupingSet' in n) throw sqlError(SqlState.featureNotSupported, 'GROUPING SETS, ROLLUP and CUBE are not supported yet', nodeLocation(n));
    const out = outputReference(n, targets, 'GROUP BY', true, scopeHas);
    if (out !== undefined) {
      const e = targets[out]!.expr;
      let agg = false;
      visitScalar(e, (x) => (agg ||= aggPlaceholderIndex(x) !== undefined));
      if (agg) throw sqlError(SqlState.groupingError, 'aggregate functions are not allowed in GROUP BY', nodeLocation(n));
      return e;
    }
    return resolveUnknown(env.ctx, bindExpr(keyEnv, n));
  });
  if (window) userKeys.push(...window.keys);
  const having = stmt.havingClause ? bindCondition({ ...pre, clause: 'HAVING' }, stmt.havingClause) : undefined;
  const order = bindOrderBy({ ...pre, clause: 'ORDER BY' }, stmt.sortClause, targets);

  // Reduce: group key = domain columns ++ GROUP BY expressions (computed by a Map when not plain columns).
  const input = env.rel.plan;
  const keys: ScalarExpr[] = [];
  for (const k of [...P.range(c).map((i): ScalarExpr => ({ kind: 'Column', index: i, type: input.schema[i]!.type })), ...userKeys]) {
    if (!keys.some((x) => scalarKey(x) === scalarKey(k))) keys.push(k);
  }
  const mapped: ScalarExpr[] = [];
  const w = input.schema.length;
  const groupKey = keys.map((k) => (k.kind === 'Column' ? k.index : (mapped.push(k), w + mapped.length - 1)));
  let plan: LogicalPlan = P.reduce(P.map(input, mapped), groupKey, aggs.aggs, aggs.names);
  if (domainPlan && userKeys.length === 0) plan = everyDomainRow(env, plan, domainPlan);

  // Deferred (uncorrelated) subqueries of the select list and HAVING join the Reduce output.
  const post: ExprEnv = { ...env, rel: { plan }, subqueries: 'join' };
  const deferredCols = deferred.map((d) => {
    const e = applyUncorrelatedSubLink(post, d.node);
    return e.kind === 'Column' ? e.index : -1;
  });
  plan = post.rel.plan;
  const rewrite = (e: ScalarExpr): ScalarExpr => groupRewrite(e, keys, (i) => deferredCols[i]!);
  if (having) plan = P.filter(plan, [rewrite(having)]);
  env.rel.plan = plan;
  return {
    targets: targets.map((t) => ({ ...t, expr: rewrite(t.expr) })),
    order: order.map((o) => ({ key: { ...o.key, expr: rewrite(o.key.expr) }, output: o.output })),
  };
}

/** K LEFT JOIN Reduce(by k) ON k = k, with count() of a missing group = 0: one row per domain row. */
function everyDomainRow(env: ExprEnv, reduced: LogicalPlan, domain: LogicalPlan): LogicalPlan {
  if (reduced.kind !== 'Reduce') return reduced;
  const c = domain.schema.length;
  const on = and(P.range(c).map((i) => nullSafeEquals(env, i, c + i, domain.schema[i]!.type, reduced.schema[i]!.nullable)));
  const joined = P.join('left', domain, reduced, on);
  const fixes: ScalarExpr[] = [];
  const outputs = P.range(c);
  reduced.aggregates.forEach((a, i) => {
    const col = 2 * c + i;
    if (a.fn === 'count' || a.fn === 'count_star') {
      fixes.push({ kind: 'Coalesce', args: [{ kind: 'Column', index: col, type: a.type }, { kind: 'Literal', value: 0n, type: a.type }], type: a.type });
      outputs.push(joined.schema.length + fixes.length - 1);
    } else outputs.push(col);
  });
  const names = [...domain.schema.map((x) => x.name), ...reduced.schema.slice(c).map((x) => x.name)];
  return P.project(P.map(joined, fixes, reduced.schema.slice(c).map((x) => x.name)), outputs, names);
}
