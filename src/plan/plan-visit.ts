/**
 * Generic traversal of logical plans: the children of a node and a rewrite of every scalar
 * expression a plan holds (inside an expression: `rewriteScalar` in scalar-util.ts). Every
 * plan kind is handled here once, so utilities (parameter substitution, collecting Get ids)
 * need no switch of their own.
 */
import { assertNever } from '../util/assert-never.js';
import type { AggregateExpr, LogicalPlan, SortKey } from './logical-plan.js';
import type { ScalarExpr } from './scalar-expr.js';
import { rewriteScalar } from './scalar-util.js';
import { mapFrameExprs } from './window-call.js';

export function planChildren(p: LogicalPlan): LogicalPlan[] {
  switch (p.kind) {
    case 'Get':
    case 'Constant':
      return [];
    case 'Map':
    case 'Filter':
    case 'Project':
    case 'Reduce':
    case 'Distinct':
    case 'TopK':
    case 'Negate':
    case 'Threshold':
    case 'WindowExpand':
    case 'SessionWindow':
    case 'FlatMap':
    case 'Window':
      return [p.input];
    case 'Join':
      return [p.left, p.right];
    case 'Union':
      return p.inputs;
    default:
      return assertNever(p, 'plan');
  }
}

/** Rewrites a plan's scalar expressions with `f` (applied to each top-level expression), bottom-up over nodes. */
export function mapPlanScalars(p: LogicalPlan, f: (e: ScalarExpr) => ScalarExpr): LogicalPlan {
  const sort = (keys: SortKey[]): SortKey[] => keys.map((k) => ({ ...k, expr: f(k.expr) }));
  const agg = (a: AggregateExpr): AggregateExpr => ({
    ...a,
    args: a.args.map(f),
    filter: a.filter ? f(a.filter) : undefined,
    orderBy: a.orderBy ? sort(a.orderBy) : undefined,
  });
  switch (p.kind) {
    case 'Get':
    case 'Constant':
      return p;
    case 'Map':
    case 'FlatMap':
      return { ...p, input: mapPlanScalars(p.input, f), exprs: p.exprs.map(f) };
    case 'Filter':
      return { ...p, input: mapPlanScalars(p.input, f), predicates: p.predicates.map(f) };
    case 'Project':
    case 'Distinct':
    case 'Negate':
    case 'Threshold':
    case 'WindowExpand':
    case 'SessionWindow':
      return { ...p, input: mapPlanScalars(p.input, f) };
    case 'Join':
      return { ...p, left: mapPlanScalars(p.left, f), right: mapPlanScalars(p.right, f), on: f(p.on) };
    case 'Reduce':
      return { ...p, input: mapPlanScalars(p.input, f), aggregates: p.aggregates.map(agg) };
    case 'TopK':
      return { ...p, input: mapPlanScalars(p.input, f), order: sort(p.order) };
    case 'Window':
      return {
        ...p,
        input: mapPlanScalars(p.input, f),
        order: sort(p.order),
        calls: p.calls.map((c) => ({ ...c, args: c.args.map(f), frame: mapFrameExprs(c.frame, f), ...(c.filter ? { filter: f(c.filter) } : {}) })),
      };
    case 'Union':
      return { ...p, inputs: p.inputs.map((i) => mapPlanScalars(i, f)) };
    default:
      return assertNever(p, 'plan');
  }
}

/** The catalog ids read by a plan's Get nodes, each once. */
export function collectGetIds(p: LogicalPlan, out = new Set<string>()): string[] {
  if (p.kind === 'Get') out.add(p.id);
  for (const c of planChildren(p)) collectGetIds(c, out);
  return [...out];
}

/** Replaces `$n` parameters with literals of their values. */
export function substituteParams(p: LogicalPlan, params: readonly import('../types/datum.js').Datum[]): LogicalPlan {
  if (params.length === 0) return p;
  return mapPlanScalars(p, (e) =>
    rewriteScalar(e, (x) => (x.kind === 'Param' ? { kind: 'Literal', value: params[x.index - 1] ?? null, type: x.type } : x)),
  );
}
