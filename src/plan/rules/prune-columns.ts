/**
 * Column pruning (projection pushdown), a whole-plan pass: from the root down, each node
 * learns which of its output columns its consumers read, and asks its inputs only for the
 * columns it needs itself. Where a window operator would copy or store unused columns, a
 * Project narrows its input to the needed ones:
 * - WindowExpand (HOP / CUMULATE copies each row once per window): its input keeps the
 *   columns read above it and its time column;
 * - SessionWindow (stores each row in its state): its input keeps the columns read above it,
 *   its partition key and its time column; Window likewise, with the columns its ORDER BY and
 *   calls read.
 * - Join (stores each row of both inputs in its arrangements): each input keeps the columns
 *   read above the join and those its ON condition reads (keys, residual, time bounds).
 * Every node above a narrowed input has its column references renumbered. Nodes whose
 * meaning depends on whole rows or whose state is keyed by them (Distinct, TopK, Threshold,
 * Negate, Union) keep every input column; Reduce reads only its group key and aggregate
 * arguments. The root keeps its whole schema, so a view's output (read by other views, by
 * EMIT ON WINDOW CLOSE, by watermark derivation) is unchanged; watermarks keep flowing on
 * the columns that remain (a window's time column always does).
 *
 * Not a per-node `Rule`: what a node may drop depends on its consumers, so it runs once on
 * the whole plan (optimize.ts), between two fixpoints of the rules. It returns the plan
 * itself (same reference) when nothing can be dropped.
 */
import { assertNever } from '../../util/assert-never.js';
import type { AggregateExpr, LogicalPlan, SortKey } from '../logical-plan.js';
import * as P from '../plan-builders.js';
import type { ScalarExpr } from '../scalar-expr.js';
import { columnsUsed, remapColumns } from '../scalar-util.js';
import { frameExprs, mapFrameExprs } from '../window-call.js';

/** A pruned plan and, per column of the original node, its index in `plan` (-1: dropped). */
interface Pruned {
  plan: LogicalPlan;
  cols: number[];
}

export function pruneColumns(plan: LogicalPlan): LogicalPlan {
  return full(prune(plan, P.range(plan.schema.length)), plan.schema.length).plan;
}

function identity(p: LogicalPlan): Pruned {
  return { plan: p, cols: P.range(p.schema.length) };
}

/** Exactly the columns `keep` (original indexes, ascending), in that order. */
function exact(r: Pruned, keep: number[]): Pruned {
  const outputs = keep.map((c) => {
    const to = r.cols[c];
    if (to === undefined || to < 0) throw new Error(`internal error: prune-columns dropped needed column #${c}`);
    return to;
  });
  const cols = new Array<number>(r.cols.length).fill(-1);
  keep.forEach((c, k) => (cols[c] = k));
  if (outputs.length === r.plan.schema.length && outputs.every((o, i) => o === i)) return { plan: r.plan, cols };
  return { plan: P.project(r.plan, outputs), cols };
}

/** Every column of a node of width `width`, in order. */
function full(r: Pruned, width: number): Pruned {
  return exact(r, P.range(width));
}

function sorted(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}

function colsOf(exprs: readonly ScalarExpr[], into = new Set<number>()): Set<number> {
  for (const e of exprs) columnsUsed(e, into);
  return into;
}

function aggregateExprs(a: AggregateExpr): ScalarExpr[] {
  return [...a.args, ...(a.filter ? [a.filter] : []), ...(a.orderBy ?? []).map((k) => k.expr)];
}

function remapAggregate(a: AggregateExpr, m: (c: number) => number): AggregateExpr {
  const out: AggregateExpr = { ...a, args: a.args.map((e) => remapColumns(e, m)) };
  if (a.filter) out.filter = remapColumns(a.filter, m);
  if (a.orderBy) out.orderBy = a.orderBy.map((k): SortKey => ({ ...k, expr: remapColumns(k.expr, m) }));
  return out;
}

/** The input's columns below `width` that are in `need`, plus `extra`. */
function inputNeed(need: readonly number[], width: number, extra: Iterable<number>): Set<number> {
  const s = new Set(need.filter((c) => c < width));
  for (const c of extra) s.add(c);
  return s;
}

/** A node appending columns to its input's (Map, FlatMap, windows): the mapping of its output. */
function appended(r: Pruned, oldWidth: number, added: number): number[] {
  const nw = r.plan.schema.length;
  return [...r.cols.slice(0, oldWidth), ...P.range(added, nw)];
}

/** The input pruned to `need` (original column indexes of `p`'s output), with `p` rebuilt over it. */
function prune(p: LogicalPlan, need: readonly number[]): Pruned {
  switch (p.kind) {
    case 'Get':
    case 'Constant':
      // Narrowed by the consumer that benefits (a window), where a Project is worth an operator.
      return identity(p);
    case 'Map':
    case 'FlatMap': {
      // Every expression is kept (a FlatMap's row count depends on all of them).
      const w = p.input.schema.length;
      const r = prune(p.input, sorted(inputNeed(need, w, [...colsOf(p.exprs)].filter((c) => c < w))));
      if (r.plan === p.input) return identity(p);
      const nw = r.plan.schema.length;
      const m = (c: number): number => (c < w ? r.cols[c]! : nw + c - w);
      const exprs = p.exprs.map((e) => remapColumns(e, m));
      const schema = [...r.plan.schema, ...p.schema.slice(w)];
      return { plan: { ...p, input: r.plan, exprs, schema }, cols: appended(r, w, p.exprs.length) };
    }
    case 'Filter': {
      const r = prune(p.input, sorted(colsOf(p.predicates, new Set(need))));
      if (r.plan === p.input) return identity(p);
      const predicates = p.predicates.map((e) => remapColumns(e, (c) => r.cols[c]!));
      return { plan: { ...p, input: r.plan, predicates, schema: r.plan.schema }, cols: r.cols };
    }
    case 'Project': {
      // Keeps its outputs (dropping them is left to the consumer that narrows).
      const r = prune(p.input, sorted(new Set(p.outputs)));
      if (r.plan === p.input) return identity(p);
      return { plan: { ...p, input: r.plan, outputs: p.outputs.map((c) => r.cols[c]!) }, cols: P.range(p.schema.length) };
    }
    case 'Reduce': {
      const used = new Set(p.groupKey);
      for (const a of p.aggregates) colsOf(aggregateExprs(a), used);
      const r = prune(p.input, sorted(used));
      if (r.plan === p.input) return identity(p);
      const m = (c: number): number => r.cols[c]!;
      const plan: LogicalPlan = { ...p, input: r.plan, groupKey: p.groupKey.map(m), aggregates: p.aggregates.map((a) => remapAggregate(a, m)) };
      return { plan, cols: P.range(p.schema.length) };
    }
    case 'WindowExpand': {
      const w = p.input.schema.length;
      const keep = sorted(inputNeed(need, w, [p.timeColumn]));
      const r = exact(prune(p.input, keep), keep);
      if (r.plan === p.input) return identity(p);
      const schema = [...r.plan.schema, ...p.schema.slice(w)];
      return { plan: { ...p, input: r.plan, timeColumn: r.cols[p.timeColumn]!, schema }, cols: appended(r, w, 2) };
    }
    case 'SessionWindow': {
      const w = p.input.schema.length;
      const keep = sorted(inputNeed(need, w, [...p.partitionKey, p.timeColumn]));
      const r = exact(prune(p.input, keep), keep);
      if (r.plan === p.input) return identity(p);
      const schema = [...r.plan.schema, ...p.schema.slice(w)];
      const plan: LogicalPlan = { ...p, input: r.plan, partitionKey: p.partitionKey.map((c) => r.cols[c]!), timeColumn: r.cols[p.timeColumn]!, schema };
      return { plan, cols: appended(r, w, 2) };
    }
    case 'Window': {
      // Stores each row: its input keeps the columns read above it and those the window reads.
      const w = p.input.schema.length;
      const reads = colsOf([...p.order.map((k) => k.expr), ...p.calls.flatMap((c) => [...c.args, ...(c.filter ? [c.filter] : []), ...frameExprs(c.frame)])]);
      const keep = sorted(inputNeed(need, w, [...p.partitionKey, ...reads]));
      const r = exact(prune(p.input, keep), keep);
      if (r.plan === p.input) return identity(p);
      const m = (c: number): number => r.cols[c]!;
      const calls = p.calls.map((c) => ({ ...c, args: c.args.map((e) => remapColumns(e, m)), frame: mapFrameExprs(c.frame, (e) => remapColumns(e, m)), ...(c.filter ? { filter: remapColumns(c.filter, m) } : {}) }));
      const order = p.order.map((k): SortKey => ({ ...k, expr: remapColumns(k.expr, m) }));
      const schema = [...r.plan.schema, ...p.schema.slice(w)];
      const plan: LogicalPlan = { ...p, input: r.plan, partitionKey: p.partitionKey.map(m), order, calls, schema };
      return { plan, cols: appended(r, w, p.calls.length) };
    }
    case 'Distinct':
    case 'Negate':
    case 'Threshold':
    case 'TopK': {
      // Whole rows matter (Distinct, Threshold, TopK's ties) or are kept as they are.
      const input = keepAll(p.input);
      return identity(input === p.input ? p : { ...p, input });
    }
    case 'Join': {
      // Each side keeps the columns read above the join and those of its ON condition (its
      // keys, residual and time bounds, so the watermarks that free its state survive).
      const lw = p.left.schema.length;
      const on = columnsUsed(p.on);
      const all = [...need, ...on];
      const lkeep = sorted(new Set(all.filter((c) => c < lw)));
      const rkeep = sorted(new Set(all.filter((c) => c >= lw).map((c) => c - lw)));
      const l = exact(prune(p.left, lkeep), lkeep);
      const r = exact(prune(p.right, rkeep), rkeep);
      if (l.plan === p.left && r.plan === p.right) return identity(p);
      const nlw = l.plan.schema.length;
      const m = (c: number): number => (c < lw ? l.cols[c]! : nlw + r.cols[c - lw]!);
      const schema = [...lkeep.map((c) => p.schema[c]!), ...rkeep.map((c) => p.schema[lw + c]!)];
      const plan: LogicalPlan = { ...p, left: l.plan, right: r.plan, on: remapColumns(p.on, m), schema };
      return { plan, cols: P.range(p.schema.length).map((c) => (c < lw ? l.cols[c]! : r.cols[c - lw]! < 0 ? -1 : nlw + r.cols[c - lw]!)) };
    }
    case 'Union': {
      const inputs = p.inputs.map(keepAll);
      return identity(inputs.every((x, i) => x === p.inputs[i]) ? p : { ...p, inputs });
    }
    default:
      return assertNever(p, 'logical plan');
  }
}

/** The plan with every output column kept, pruned inside. */
function keepAll(p: LogicalPlan): LogicalPlan {
  return full(prune(p, P.range(p.schema.length)), p.schema.length).plan;
}
