/**
 * Fuses a chain of Map / Filter / Project nodes into one MapFilterProject over the chain's
 * first non-linear input (Materialize's MapFilterProject). Column references are rewritten to
 * the extended row `input ++ exprs`; each predicate is placed after the fewest exprs its
 * columns need, so a predicate that came before an expr in the logical plan still runs before
 * it (and filters rows before the expr can fail on them). An identity MFP disappears.
 */
import type { LogicalPlan } from '../logical-plan.js';
import type { ScalarExpr } from '../scalar-expr.js';
import { columnsUsed, remapColumns } from '../scalar-util.js';
import type { DataflowNode, Mfp } from '../physical/dataflow-plan.js';
import { monotoneColumn } from '../watermark-derivation.js';

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
  if (isIdentity(mfp)) return input;
  return { kind: 'MapFilterProject', input, mfp, schema: p.schema };
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
