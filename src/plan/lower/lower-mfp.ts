/**
 * Fuses a chain of Map / Filter / Project nodes into one MapFilterProject over the chain's
 * first non-linear input (Materialize's MapFilterProject). Column references are rewritten to
 * the extended row `input ++ exprs`; each predicate is placed after the fewest exprs its
 * columns need, so a predicate that came before an expr in the logical plan still runs before
 * it (and filters rows before the expr can fail on them). An identity MFP disappears.
 */
import type { LogicalPlan } from '../logical-plan.js';
import type { ScalarExpr } from '../scalar-expr.js';
import { columnsUsed, conjuncts, remapColumns } from '../scalar-util.js';
import type { DataflowNode, Mfp } from '../physical/dataflow-plan.js';
import { monotoneColumn } from '../watermark-derivation.js';
import { readsNow, temporalBound, type TemporalBound } from '../temporal-filter.js';
import type { Schema } from '../../types/sql-type.js';

type Linear = Extract<LogicalPlan, { kind: 'Map' | 'Filter' | 'Project' }>;

export function lowerLinear(p: Linear, lower: (q: LogicalPlan) => DataflowNode): DataflowNode {
  // Collect the chain top-down, then apply bottom-up.
  const chain: Linear[] = [];
  let base: LogicalPlan = p;
  while (base.kind === 'Map' || base.kind === 'Filter' || base.kind === 'Project') {
    chain.push(base);
    base = base.input;
  }
  const input = lower(base);
  const inputArity = base.schema.length;
  const mfp: Mfp = { inputArity, exprs: [], predicates: [], projection: Array.from({ length: inputArity }, (_, i) => i), monotone: [] };
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]!;
    switch (node.kind) {
      case 'Map':
        for (const e of node.exprs) {
          const proj = mfp.projection;
          const expr = remapColumns(e, (c) => proj[c]!);
          mfp.exprs.push(expr);
          mfp.monotone.push(monotoneColumn(expr));
          proj.push(inputArity + mfp.exprs.length - 1);
        }
        break;
      case 'Filter':
        for (const pred of node.predicates) {
          const proj = mfp.projection;
          const expr = remapColumns(pred, (c) => proj[c]!);
          mfp.predicates.push({ expr, after: placement(expr, inputArity) });
        }
        break;
      case 'Project': {
        const proj = mfp.projection;
        mfp.projection = node.outputs.map((c) => proj[c]!);
        break;
      }
    }
  }
  // Stable sort keeps the logical order among predicates at the same place.
  mfp.predicates.sort((a, b) => a.after - b.after);
  const bounds: TemporalBound[] = [];
  if (mfp.predicates.some((pred) => readsNow(pred.expr))) {
    // Temporal conjuncts (`ts BETWEEN now() - x AND now()` is two) become the TemporalFilter's bounds.
    mfp.predicates = mfp.predicates.flatMap((pred) =>
      conjuncts(pred.expr).flatMap((c) => {
        const b = temporalBound(c);
        if (b) bounds.push(b);
        return b ? [] : [{ expr: c, after: pred.after }];
      }),
    );
  }
  if (bounds.length > 0) return temporalFilter(input, base.schema, mfp, bounds, p.schema);
  if (isIdentity(mfp)) return input;
  return { kind: 'MapFilterProject', input, mfp, schema: p.schema };
}

/**
 * With temporal predicates: map and filter into the extended row, then the TemporalFilter over
 * it (its bounds read the extended row), then the projection.
 */
function temporalFilter(input: DataflowNode, inputSchema: Schema, mfp: Mfp, bounds: TemporalBound[], schema: Schema): DataflowNode {
  const width = mfp.inputArity + mfp.exprs.length;
  const extended: Schema = [...inputSchema, ...mfp.exprs.map((e, i) => ({ name: `expr${i}`, type: e.type, nullable: true }))];
  const inner: Mfp = { ...mfp, projection: Array.from({ length: width }, (_, i) => i) };
  const mapped: DataflowNode = isIdentity(inner) ? input : { kind: 'MapFilterProject', input, mfp: inner, schema: extended };
  const filtered: DataflowNode = { kind: 'TemporalFilter', input: mapped, bounds, schema: extended };
  const outer: Mfp = { inputArity: width, exprs: [], predicates: [], projection: mfp.projection, monotone: [] };
  return isIdentity(outer) ? filtered : { kind: 'MapFilterProject', input: filtered, mfp: outer, schema };
}

/** The number of exprs that must exist before `e` can be evaluated. */
function placement(e: ScalarExpr, inputArity: number): number {
  let after = 0;
  for (const c of columnsUsed(e)) if (c >= inputArity) after = Math.max(after, c - inputArity + 1);
  return after;
}

function isIdentity(m: Mfp): boolean {
  return m.exprs.length === 0 && m.predicates.length === 0 && m.projection.length === m.inputArity && m.projection.every((c, i) => c === i);
}
