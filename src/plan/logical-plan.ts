/**
 * The logical plan: relational algebra as pure data, a union on `kind`. Produced by the
 * binder, rewritten by rules/, lowered to the dataflow plan by lower/. Every node knows its
 * output schema (`schema`), so a plan can be printed and checked without a catalog.
 *
 * Semantics are over multisets of rows with diffs (Z-sets): every node is a function from
 * the collections of its inputs to a collection, and the dataflow maintains it incrementally.
 */
import type { Datum, Row } from '../types/datum.js';
import type { Schema } from '../types/sql-type.js';
import type { ScalarExpr } from './scalar-expr.js';
import type { WindowCall } from './window-call.js';
import type { AggregateName } from '../types/function-names.js';

export interface SortKey {
  expr: ScalarExpr;
  desc: boolean;
  /** NULLS FIRST; Postgres's default is nulls last for ASC, first for DESC. */
  nullsFirst: boolean;
}


export interface AggregateExpr {
  fn: AggregateName;
  /**
   * Evaluated on the Reduce's input row. string_agg has two (value, delimiter);
   * approx_percentile two (the ORDER BY value as float8, the constant fraction).
   */
  args: ScalarExpr[];
  distinct: boolean;
  /** FILTER (WHERE …) */
  filter?: ScalarExpr;
  /** ORDER BY inside the call, for string_agg / array_agg, and WITHIN GROUP's for approx_percentile. */
  orderBy?: SortKey[];
  type: import('../types/sql-type.js').SqlType;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

/** How a TopK numbers its rows: row_number() (ties broken by the row), rank() or dense_rank(). */
export type Ranking = 'row_number' | 'rank' | 'dense_rank';

export type LogicalPlan =
  /** A stored collection: a table, source or materialized view, by catalog id. */
  | { kind: 'Get'; id: string; name: string; schema: Schema }
  | { kind: 'Constant'; rows: Row[]; schema: Schema }
  /** Appends one column per expression (expressions may refer to earlier appended ones). */
  | { kind: 'Map'; input: LogicalPlan; exprs: ScalarExpr[]; schema: Schema }
  | { kind: 'Filter'; input: LogicalPlan; predicates: ScalarExpr[]; schema: Schema }
  /** Keeps the listed input columns, in that order (repeats allowed). */
  | { kind: 'Project'; input: LogicalPlan; outputs: number[]; schema: Schema }
  /**
   * Join; `on` is over the concatenation left ++ right. Output columns are left ++ right;
   * for outer joins the missing side is NULL-padded. `lookup`: a temporal join (`JOIN t FOR
   * SYSTEM_TIME AS OF PROCTIME()`): each left row joins the right side as it is when the row
   * arrives; later changes of the right side neither retract nor add output.
   */
  | { kind: 'Join'; joinKind: JoinKind; left: LogicalPlan; right: LogicalPlan; on: ScalarExpr; lookup?: boolean; schema: Schema }
  /** Output: group key columns, then one column per aggregate. No group key = one row even for empty input. */
  | { kind: 'Reduce'; input: LogicalPlan; groupKey: number[]; aggregates: AggregateExpr[]; schema: Schema }
  | { kind: 'Distinct'; input: LogicalPlan; schema: Schema }
  /**
   * Per group of `groupKey` columns, the rows ranked by `order`, keeping ranks in
   * (offset, offset + limit]. With `rankColumn`, appends the rank as an int8 column.
   * `ranking` (default row_number): 'rank' / 'dense_rank' give rows that tie on `order` one
   * rank (rank() skips past the tie, dense_rank() does not), so a limit keeps whole ties.
   */
  | {
      kind: 'TopK';
      input: LogicalPlan;
      groupKey: number[];
      order: SortKey[];
      limit: number | null;
      offset: number;
      rankColumn: boolean;
      ranking?: Ranking;
      schema: Schema;
    }
  /** UNION ALL: the sum of the inputs' collections. */
  | { kind: 'Union'; inputs: LogicalPlan[]; schema: Schema }
  /** Flips every diff: used for EXCEPT and INTERSECT. */
  | { kind: 'Negate'; input: LogicalPlan; schema: Schema }
  /** Keeps rows whose diff is positive (after consolidation): used for EXCEPT and INTERSECT. */
  | { kind: 'Threshold'; input: LogicalPlan; schema: Schema }
  /**
   * HOP / CUMULATE: each input row once per event-time window its `timeColumn` (timestamp or
   * timestamptz) falls into, with window_start and window_end appended (same type as the time
   * column); a NULL time has no window. hop: windows of `sizeUs` starting every `slideUs`;
   * cumulate: windows starting at each tumbling window of `sizeUs`, ending every `slideUs` (the
   * step) up to its end. Windows are aligned to the epoch + `offsetUs` (util/time-windows.ts).
   */
  | {
      kind: 'WindowExpand';
      input: LogicalPlan;
      windowKind: WindowExpandKind;
      timeColumn: number;
      slideUs: number;
      sizeUs: number;
      offsetUs: number;
      schema: Schema;
    }
  /**
   * SESSION: per value of the `partitionKey` columns, the rows ordered by `timeColumn` form
   * sessions, maximal runs in which consecutive times differ by less than `gapUs`. Each input
   * row (NULL time: none) is output with its session's window_start (first time) and
   * window_end (last time + gap) appended.
   */
  | { kind: 'SessionWindow'; input: LogicalPlan; partitionKey: number[]; timeColumn: number; gapUs: number; schema: Schema }
  /**
   * Set-returning functions in a select list (Postgres's ProjectSet): each `exprs` entry
   * evaluates to an array per input row (generate_series, unnest, _pg_expandarray… as arrays,
   * see sql/binder/set-returning.ts); the row is output once per element of the longest,
   * with one column per expression appended: its i-th element, or NULL past its end (the
   * "zip to the longest" of Postgres 10+). A NULL array has no elements; a row whose arrays
   * are all empty is not output.
   */
  | { kind: 'FlatMap'; input: LogicalPlan; exprs: ScalarExpr[]; schema: Schema }
  /**
   * Window functions (`f(…) OVER (PARTITION BY … ORDER BY … frame)`, window-call.ts): per
   * partition of the `partitionKey` columns, the rows ordered by `order`; each input row is
   * output once with one column per call appended, that call's value for the row. Rows that
   * tie on `order` are peers (RANGE frames, rank()); among peers the order is the row's own
   * (so row_number() and ROWS frames are deterministic).
   */
  | { kind: 'Window'; input: LogicalPlan; partitionKey: number[]; order: SortKey[]; calls: WindowCall[]; schema: Schema };

export type WindowExpandKind = 'hop' | 'cumulate';

export type PlanKind = LogicalPlan['kind'];

/** What a top-level SELECT does to its result after the dataflow: sort, offset, limit, project. */
export interface Finishing {
  order: SortKey[];
  limit: number | null;
  offset: number;
  /** `LIMIT $n` / `OFFSET $n`: 1-based parameter indexes, resolved at execution (bigint values). */
  limitParam?: number;
  offsetParam?: number;
  /** Columns to return, after sorting (sort keys may use columns that are not returned). */
  project: number[];
}

export type { Datum };
