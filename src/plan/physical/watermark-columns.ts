/**
 * Which output columns of a dataflow plan carry a watermark, decided from the plan alone (the
 * runtime computes the values, operator by operator, in `onWatermarks`; this mirrors it). Used
 * to refuse, when a view is created, an EMIT ON WINDOW CLOSE view whose rows could never close.
 */
import { assertNever } from '../../util/assert-never.js';
import type { DataflowNode } from './dataflow-plan.js';
import { PROCESSING_TIME } from '../watermark-derivation.js';

/** `inputColumns(id)`: the watermarked columns of a stored collection (a source's WATERMARK column, a view's derived ones). */
export function watermarkColumns(n: DataflowNode, inputColumns: (id: string) => ReadonlySet<number>): Set<number> {
  const of = (m: DataflowNode) => watermarkColumns(m, inputColumns);
  switch (n.kind) {
    case 'Get':
      return new Set(inputColumns(n.id));
    case 'Constant':
      return new Set();
    case 'MapFilterProject': {
      const input = of(n.input);
      const ext = new Set(input);
      const { inputArity, monotone, projection } = n.mfp;
      monotone.forEach((from, k) => {
        if (from !== null && (from === PROCESSING_TIME || ext.has(from))) ext.add(inputArity + k);
      });
      const out = new Set<number>();
      projection.forEach((c, j) => {
        if (ext.has(c)) out.add(j);
      });
      return out;
    }
    case 'Join': {
      const left = of(n.left);
      const right = of(n.right);
      const leftArity = n.left.schema.length;
      const out = new Set<number>();
      n.leftKey.forEach((l, i) => {
        const r = n.rightKey[i]!;
        if (l.kind !== 'Column' || r.kind !== 'Column' || !left.has(l.index) || !right.has(r.index)) return;
        if (n.joinKind === 'inner' || n.joinKind === 'left') out.add(l.index);
        if (n.joinKind === 'inner' || n.joinKind === 'right') out.add(leftArity + r.index);
      });
      const tb = n.timeBounds;
      if (tb && left.has(tb.leftColumn) && right.has(tb.rightColumn)) {
        if (tb.upperUs !== null && (n.joinKind === 'inner' || n.joinKind === 'left')) out.add(tb.leftColumn);
        if (tb.lowerUs !== null && (n.joinKind === 'inner' || n.joinKind === 'right')) out.add(leftArity + tb.rightColumn);
      }
      return out;
    }
    case 'Reduce':
    case 'TopK':
    case 'Window': {
      // Window: the rows of a changed partition are re-output, so only its key columns keep theirs.
      const input = of(n.input);
      const out = new Set<number>();
      (n.kind === 'Window' ? n.partitionKey : n.groupKey).forEach((c, i) => {
        if (input.has(c)) out.add(n.kind === 'Reduce' ? i : c);
      });
      // A window ordered by a watermarked column passes it on once its rows are final (closeAfter).
      const first = n.kind === 'Window' && n.closeAfter !== undefined ? n.order[0]!.expr : undefined;
      if (first?.kind === 'Column' && input.has(first.index)) out.add(first.index);
      return out;
    }
    case 'Distinct':
    case 'Threshold':
    case 'Negate':
    case 'EmitOnWindowClose':
      return of(n.input);
    case 'TemporalFilter':
      return new Set();
    case 'Union': {
      const sets = n.inputs.map(of);
      return new Set([...(sets[0] ?? [])].filter((c) => sets.every((s) => s.has(c))));
    }
    case 'WindowExpand': {
      const input = of(n.input);
      if (input.has(n.timeColumn)) {
        const arity = n.input.schema.length;
        input.add(arity);
        input.add(arity + 1);
      }
      return input;
    }
    case 'FlatMap':
      // The input columns keep theirs; the elements of an array carry none.
      return of(n.input);
    case 'SessionWindow': {
      // Only window_end carries one (session-window.ts): a session can still grow or merge until then.
      const input = of(n.input);
      return input.has(n.timeColumn) ? new Set([n.input.schema.length + 1]) : new Set();
    }
    default:
      return assertNever(n, 'dataflow node');
  }
}
