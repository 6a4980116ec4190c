/**
 * The dataflow plan (LIR): a union on `kind` in which every decision is made, so the renderer
 * is a plain dispatch. Map/Filter/Project chains are fused into one MapFilterProject; joins
 * carry their equi-key expressions per side (each plain `=` or null-safe) and a residual predicate; each aggregate of a
 * Reduce carries its reduce kind. Produced by lower/, printed by print-dataflow-plan.ts
 * (EXPLAIN PHYSICAL), consumed by render/.
 *
 * Expressions are the logical plan's ScalarExprs; column indexes refer to the node's input
 * row (for a Join residual: `left ++ right`; for join keys: that side's row).
 *
 * Lowering gives a tree; share-subplans.ts may then make one node object the input of several
 * nodes (a DAG), which the printer and the renderer honour.
 */
import type { Row } from '../../types/datum.js';
import type { Schema, SqlType } from '../../types/sql-type.js';
import type { JoinKind, SortKey, WindowExpandKind } from '../logical-plan.js';
import type { AggregateName } from '../../types/function-names.js';
import type { ScalarExpr } from '../scalar-expr.js';
import type { TemporalBound } from '../temporal-filter.js';
import type { WindowCall } from '../window-call.js';

/**
 * A fused map · filter · project over an input of `inputArity` columns: `exprs` are appended
 * in order (each may read the input and earlier exprs), each predicate runs as soon as the
 * first `after` exprs exist, and `projection` picks the output columns of the extended row.
 */
export interface Mfp {
  inputArity: number;
  exprs: ScalarExpr[];
  /** Sorted by `after`. */
  predicates: { expr: ScalarExpr; after: number }[];
  projection: number[];
  /**
   * Per expr: the column of the extended row (`input ++ exprs`) it is monotone non-decreasing
   * in (plan/watermark-derivation.ts), so it carries that column's watermark; null = none;
   * -1 (PROCESSING_TIME) = the processing time, whose watermark is the tick's wall-clock time.
   */
  monotone: (number | null)[];
  /**
   * Each input row is extended by the processing time it was stamped with (kept as state, so
   * a retraction carries its insertion's stamp: plan/processing-time.ts); `inputArity` counts
   * that last column, which the exprs read instead of calling proctime().
   */
  stamped?: boolean;
}

/**
 * accumulable: running sums per group (count, sum, avg, bool_and, bool_or);
 * hierarchical: an ordered multiset of values per group, retraction-safe (min, max);
 * basic: the multiset of argument tuples per group, result recomputed (string_agg, array_agg,
 * jsonb_agg, and every DISTINCT aggregate that is not min/max/bool).
 */
export type ReduceKind = 'accumulable' | 'hierarchical' | 'basic';

export interface PhysAggregate {
  fn: AggregateName;
  reduceKind: ReduceKind;
  args: ScalarExpr[];
  distinct: boolean;
  filter: ScalarExpr | null;
  /** ORDER BY inside the call (basic kinds only; empty otherwise). */
  orderBy: SortKey[];
  /** The result type (from the binder). */
  type: SqlType;
}

export type DataflowNode =
  | { kind: 'Get'; id: string; name: string; schema: Schema }
  | { kind: 'Constant'; rows: Row[]; schema: Schema }
  | { kind: 'MapFilterProject'; input: DataflowNode; mfp: Mfp; schema: Schema }
  | {
      kind: 'Join';
      joinKind: JoinKind;
      left: DataflowNode;
      right: DataflowNode;
      /** Equi-join keys: leftKey[i] (over the left row) = rightKey[i] (over the right row). Empty = cross join. */
      leftKey: ScalarExpr[];
      rightKey: ScalarExpr[];
      /** Per key position: true = NULL matches NULL (IS NOT DISTINCT FROM); false = NULL matches nothing (`=`). */
      nullSafe: boolean[];
      /** The rest of the ON condition, over `left ++ right`; null = none. */
      residual: ScalarExpr | null;
      /**
       * An interval join: the residual bounds `right[rightColumn] - left[leftColumn]` to
       * [lowerUs, upperUs] (null = unbounded), so watermarks on the two time columns free
       * rows that can no longer match (lower-join.ts finds it; the residual still decides).
       */
      timeBounds?: TimeBounds;
      /** A temporal (lookup) join: only the right side is arranged; its changes produce no output. */
      lookup?: boolean;
      schema: Schema;
    }
  | { kind: 'Reduce'; input: DataflowNode; groupKey: number[]; aggregates: PhysAggregate[]; schema: Schema }
  | { kind: 'Distinct'; input: DataflowNode; schema: Schema }
  | {
      kind: 'TopK';
      input: DataflowNode;
      groupKey: number[];
      order: SortKey[];
      limit: number | null;
      offset: number;
      rankColumn: boolean;
      /** rank() / dense_rank(): ties share a rank and a limit keeps whole ties (absent: row_number()). */
      ranking?: 'rank' | 'dense_rank' | 'row_number';
      schema: Schema;
    }
  | { kind: 'Union'; inputs: DataflowNode[]; schema: Schema }
  | { kind: 'Negate'; input: DataflowNode; schema: Schema }
  /**
   * A temporal filter (plan/temporal-filter.ts): each row belongs to the output while
   * now ∈ [max(lower bounds), min(upper bounds)); rows enter and leave as wall-clock time passes.
   */
  | { kind: 'TemporalFilter'; input: DataflowNode; bounds: TemporalBound[]; schema: Schema }
  /** The root of an EMIT ON WINDOW CLOSE view: holds rows until the watermark passes them. */
  | { kind: 'EmitOnWindowClose'; input: DataflowNode; schema: Schema }
  | { kind: 'Threshold'; input: DataflowNode; schema: Schema }
  /**
   * HOP / CUMULATE as a stateless flat-map: each row once per window of its time column, with
   * window_start and window_end appended (see the logical WindowExpand; sizes in µs).
   */
  | {
      kind: 'WindowExpand';
      input: DataflowNode;
      windowKind: WindowExpandKind;
      timeColumn: number;
      slideUs: number;
      sizeUs: number;
      offsetUs: number;
      schema: Schema;
    }
  /** SESSION: per partition, the rows with their sessions' bounds appended; keeps every row of the open sessions. */
  | { kind: 'SessionWindow'; input: DataflowNode; partitionKey: number[]; timeColumn: number; gapUs: number; schema: Schema }
  /** Set-returning functions in a select list, stateless: see the logical FlatMap (rows zipped to the longest array). */
  | { kind: 'FlatMap'; input: DataflowNode; exprs: ScalarExpr[]; schema: Schema }
  /**
   * Window functions over frames (the logical Window): keeps every input row, per partition in
   * order. `closeAfter` (window-call.ts `windowCloseAfter`): the first ORDER BY key is a column
   * whose watermark the window passes on, a row being final once the row `closeAfter` places
   * after it is below the watermark.
   */
  | { kind: 'Window'; input: DataflowNode; partitionKey: number[]; order: SortKey[]; calls: WindowCall[]; closeAfter?: number; schema: Schema };

export interface TimeBounds {
  leftColumn: number;
  rightColumn: number;
  lowerUs: number | null;
  upperUs: number | null;
}

export type DataflowNodeKind = DataflowNode['kind'];

export interface DataflowPlan {
  root: DataflowNode;
  /** The catalog ids the plan's Get nodes read, without repeats, in first-appearance order. */
  inputIds: string[];
}

/** The inputs of a node, in the order the operator receives them. */
export function nodeInputs(n: DataflowNode): DataflowNode[] {
  switch (n.kind) {
    case 'Get':
    case 'Constant':
      return [];
    case 'MapFilterProject':
    case 'Reduce':
    case 'Distinct':
    case 'TopK':
    case 'Negate':
    case 'EmitOnWindowClose':
    case 'TemporalFilter':
    case 'Threshold':
    case 'WindowExpand':
    case 'SessionWindow':
    case 'FlatMap':
    case 'Window':
      return [n.input];
    case 'Join':
      return [n.left, n.right];
    case 'Union':
      return n.inputs;
  }
}
