/**
 * Moves Filter predicates towards the inputs, where they drop rows earlier:
 * - through Map (predicates on input columns only), Project (columns renumbered), Union,
 *   Distinct, Negate, Threshold (a filter commutes with them);
 * - through Reduce and TopK when they read group-key columns only (whole groups kept or
 *   dropped), through SessionWindow and Window on partition columns only (whole partitions), through
 *   WindowExpand and FlatMap on input columns (each row's copies kept or dropped together);
 * - into a Join: one-sided predicates go to that side when it is preserved (both sides of an
 *   inner join, the left of a left join, the right of a right join); two-sided predicates
 *   of an inner join join its `on`. One-sided conjuncts of an inner join's `on` (and of the
 *   non-preserved side's in an outer join) move into that input as Filters.
 * Predicates without column references stay where they are.
 */
import type { LogicalPlan } from '../logical-plan.js';
import * as P from '../plan-builders.js';
import type { ScalarExpr } from '../scalar-expr.js';
import { and, columnsUsed, conjuncts, isTrueLiteral, remapColumns } from '../scalar-util.js';
import type { Rule } from './rule.js';

function split(preds: ScalarExpr[], test: (cols: number[]) => boolean): [ScalarExpr[], ScalarExpr[]] {
  const yes: ScalarExpr[] = [];
  const no: ScalarExpr[] = [];
  for (const p of preds) {
    const cols = [...columnsUsed(p)];
    (cols.length > 0 && test(cols) ? yes : no).push(p);
  }
  return [yes, no];
}

function rebuildFilter(input: LogicalPlan, keep: ScalarExpr[], schema: LogicalPlan['schema']): LogicalPlan {
  return keep.length === 0 ? input : { kind: 'Filter', input, predicates: keep, schema };
}

function pushIntoJoin(j: Extract<LogicalPlan, { kind: 'Join' }>, preds: ScalarExpr[]): LogicalPlan | undefined {
  const lw = j.left.schema.length;
  const leftOk = j.joinKind === 'inner' || j.joinKind === 'left';
  const rightOk = j.joinKind === 'inner' || j.joinKind === 'right';
  const [toLeft, rest1] = split(preds, (cols) => leftOk && cols.every((c) => c < lw));
  const [toRight, rest2] = split(rest1, (cols) => rightOk && cols.every((c) => c >= lw));
  const [toOn, keep] = j.joinKind === 'inner' ? split(rest2, () => true) : [[], rest2];
  if (toLeft.length + toRight.length + toOn.length === 0) return undefined;
  const left = P.filter(j.left, toLeft);
  const right = P.filter(j.right, toRight.map((e) => remapColumns(e, (c) => c - lw)));
  const on = toOn.length ? and([j.on, ...toOn]) : j.on;
  const join: LogicalPlan = { ...j, left, right, on };
  return rebuildFilter(join, keep, j.schema);
}

/** One-sided conjuncts of a join's own condition move into the side that may lose rows. */
function pushOn(j: Extract<LogicalPlan, { kind: 'Join' }>): LogicalPlan {
  const lw = j.left.schema.length;
  const parts = conjuncts(j.on).filter((c) => !isTrueLiteral(c));
  const leftOk = j.joinKind === 'inner' || j.joinKind === 'right';
  const rightOk = j.joinKind === 'inner' || j.joinKind === 'left';
  const [toLeft, rest] = split(parts, (cols) => leftOk && cols.every((c) => c < lw));
  const [toRight, keep] = split(rest, (cols) => rightOk && cols.every((c) => c >= lw));
  if (toLeft.length + toRight.length === 0) return j;
  return {
    ...j,
    left: P.filter(j.left, toLeft),
    right: P.filter(j.right, toRight.map((e) => remapColumns(e, (c) => c - lw))),
    on: and(keep),
  };
}

export const predicatePushdown: Rule = {
  name: 'predicate-pushdown',
  apply(p: LogicalPlan): LogicalPlan {
    if (p.kind === 'Join') return pushOn(p);
    if (p.kind !== 'Filter') return p;
    const input = p.input;
    const preds = p.predicates;
    switch (input.kind) {
      case 'Map': {
        const w = input.input.schema.length;
        const [down, keep] = split(preds, (cols) => cols.every((c) => c < w));
        if (down.length === 0) return p;
        return rebuildFilter({ ...input, input: P.filter(input.input, down) }, keep, p.schema);
      }
      case 'Project': {
        const [down, keep] = split(preds, () => true);
        if (down.length === 0) return p;
        const moved = down.map((e) => remapColumns(e, (c) => input.outputs[c]!));
        return rebuildFilter({ ...input, input: P.filter(input.input, moved) }, keep, p.schema);
      }
      case 'Join':
        return pushIntoJoin(input, preds) ?? p;
      case 'Union': {
        const [down, keep] = split(preds, () => true);
        if (down.length === 0) return p;
        return rebuildFilter({ ...input, inputs: input.inputs.map((i) => P.filter(i, down)) }, keep, p.schema);
      }
      case 'Distinct':
      case 'Negate':
      case 'Threshold': {
        const [down, keep] = split(preds, () => true);
        if (down.length === 0) return p;
        return rebuildFilter({ ...input, input: P.filter(input.input, down) }, keep, p.schema);
      }
      case 'Reduce': {
        const k = input.groupKey.length;
        const [down, keep] = split(preds, (cols) => cols.every((c) => c < k));
        if (down.length === 0) return p;
        const moved = down.map((e) => remapColumns(e, (c) => input.groupKey[c]!));
        return rebuildFilter({ ...input, input: P.filter(input.input, moved) }, keep, p.schema);
      }
      case 'WindowExpand':
      case 'FlatMap': {
        const w = input.input.schema.length;
        const [down, keep] = split(preds, (cols) => cols.every((c) => c < w));
        if (down.length === 0) return p;
        return rebuildFilter({ ...input, input: P.filter(input.input, down) }, keep, p.schema);
      }
      case 'SessionWindow':
      case 'Window': {
        const keys = new Set(input.partitionKey);
        const [down, keep] = split(preds, (cols) => cols.every((c) => keys.has(c)));
        if (down.length === 0) return p;
        return rebuildFilter({ ...input, input: P.filter(input.input, down) }, keep, p.schema);
      }
      case 'TopK': {
        const keys = new Set(input.groupKey);
        const [down, keep] = split(preds, (cols) => cols.every((c) => keys.has(c)));
        if (down.length === 0) return p;
        return rebuildFilter({ ...input, input: P.filter(input.input, down) }, keep, p.schema);
      }
      default:
        return p;
    }
  },
};
