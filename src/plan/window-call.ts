/**
 * The calls of a `Window` node (logical and dataflow plan alike): window functions
 * `fn(args) OVER (PARTITION BY … ORDER BY … frame)`, each with its frame, as Postgres defines
 * them. The node holds the partition and order; each call its function, arguments and frame.
 *
 *   ranking      row_number, rank, dense_rank, percent_rank, cume_dist, ntile(n)   frame ignored
 *   offset       lag / lead (value, offset, default)                             frame ignored
 *   value        first_value, last_value, nth_value(value, n)                    over the frame
 *   aggregate    count(*), count, sum, avg, min, max, bool_and, bool_or            over the frame
 *
 * Frames: ROWS (physical offsets) or RANGE (peers: rows equal on ORDER BY; offsets are
 * distances in the value of the single ORDER BY key) or GROUPS (offsets count peer groups), each bound one of UNBOUNDED PRECEDING,
 * n PRECEDING, CURRENT ROW, n FOLLOWING, UNBOUNDED FOLLOWING; EXCLUDE CURRENT ROW / GROUP / TIES. Postgres's default, without a frame clause: RANGE UNBOUNDED PRECEDING .. CURRENT
 * ROW, which with no ORDER BY is the whole partition (every row is a peer).
 */
import type { SqlType } from '../types/sql-type.js';
import type { SortKey } from './logical-plan.js';
import type { ScalarExpr } from './scalar-expr.js';
import type { WindowFnName } from '../types/function-names.js';


/**
 * An offset bound: ROWS n PRECEDING / FOLLOWING (`offset` = n), or RANGE offset PRECEDING /
 * FOLLOWING, whose `value` is the bound's ORDER BY value computed from the row (`key - offset`
 * or `key + offset`, by the bound and the direction): the frame reaches the rows whose key is
 * on the row's side of it.
 */
export type FrameBound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'preceding'; offset: number; value?: ScalarExpr }
  | { kind: 'current_row' }
  | { kind: 'following'; offset: number; value?: ScalarExpr }
  | { kind: 'unbounded_following' };

export interface WindowFrame {
  /** groups: offsets count peer groups (rows tied on ORDER BY). */
  mode: 'rows' | 'range' | 'groups';
  start: FrameBound;
  end: FrameBound;
  /** EXCLUDE CURRENT ROW / GROUP (the row's peers) / TIES (its peers but itself); absent: NO OTHERS. */
  exclude?: FrameExclusion;
}

export type FrameExclusion = 'current_row' | 'group' | 'ties';

export interface WindowCall {
  fn: WindowFnName;
  /**
   * lag / lead: [value, default?]; first_value / last_value / nth_value and the aggregates:
   * [value] (none for count(*), row_number and the other rankings).
   */
  args: ScalarExpr[];
  /** lag / lead: the offset (default 1); nth_value: n; ntile: the bucket count. Constants. */
  n?: number;
  /** FILTER (WHERE …) of an aggregate. */
  filter?: ScalarExpr;
  frame: WindowFrame;
  type: SqlType;
}

export const DEFAULT_FRAME: WindowFrame = { mode: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } };

export const RANKING_FNS: ReadonlySet<WindowFnName> = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile']);

export const AGGREGATE_WINDOW_FNS: ReadonlySet<WindowFnName> = new Set(['count_star', 'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or']);

/** Whether the function reads its frame (rankings and lag / lead do not). */
export function usesFrame(fn: WindowFnName): boolean {
  return !RANKING_FNS.has(fn) && fn !== 'lag' && fn !== 'lead';
}

/** The expressions of a frame's RANGE offset bounds (to rewrite or read their columns). */
export function frameExprs(f: WindowFrame): ScalarExpr[] {
  return [f.start, f.end].flatMap((b) => ((b.kind === 'preceding' || b.kind === 'following') && b.value ? [b.value] : []));
}

/** The frame with its RANGE offset bounds' expressions rewritten by `f`. */
export function mapFrameExprs(frame: WindowFrame, f: (e: ScalarExpr) => ScalarExpr): WindowFrame {
  const bound = (b: FrameBound): FrameBound => ((b.kind === 'preceding' || b.kind === 'following') && b.value ? { ...b, value: f(b.value) } : b);
  return { ...frame, start: bound(frame.start), end: bound(frame.end) };
}

/**
 * How many rows after a row its values read: lead's offset, a ROWS frame's n FOLLOWING, 0 for
 * rankings, lag and frames ending at the row or its peers; null when unbounded or by value
 * (UNBOUNDED FOLLOWING, RANGE offsets, and percent_rank / cume_dist / ntile, which read the
 * partition's size).
 */
export function windowLookahead(calls: readonly WindowCall[]): number | null {
  let ahead = 0;
  for (const c of calls) {
    if (c.fn === 'percent_rank' || c.fn === 'cume_dist' || c.fn === 'ntile') return null;
    if (c.fn === 'lead') ahead = Math.max(ahead, c.n ?? 1);
    if (!usesFrame(c.fn)) continue;
    const { start, end } = c.frame;
    if (end.kind === 'unbounded_following' || (end.kind === 'following' && (end.value || c.frame.mode === 'groups'))) return null;
    if (end.kind === 'following') ahead = Math.max(ahead, end.offset);
  }
  return ahead;
}

/**
 * Whether the window's first ORDER BY key (a column, ascending, NULLs last) carries its
 * watermark through, and after how many rows: a row's values are final once the row that many
 * places after it is below the watermark (its frame and offsets then reach only rows that can
 * no longer change). EMIT ON WINDOW CLOSE over a window ordered by event time relies on it.
 */
export function windowCloseAfter(order: readonly SortKey[], calls: readonly WindowCall[]): number | undefined {
  const first = order[0];
  if (!first || first.expr.kind !== 'Column' || first.desc || first.nullsFirst) return undefined;
  return windowLookahead(calls) ?? undefined;
}

function boundText(b: FrameBound, print: (e: ScalarExpr) => string): string {
  switch (b.kind) {
    case 'unbounded_preceding':
      return 'unbounded preceding';
    case 'preceding':
      return b.value ? `preceding to ${print(b.value)}` : `${b.offset} preceding`;
    case 'current_row':
      return 'current row';
    case 'following':
      return b.value ? `following to ${print(b.value)}` : `${b.offset} following`;
    case 'unbounded_following':
      return 'unbounded following';
  }
}

/** `avg(#2) rows 10 preceding..current row`, with `print` for the argument expressions. */
export function windowCallText(c: WindowCall, print: (e: ScalarExpr) => string): string {
  const args = c.fn === 'count_star' ? '*' : [c.args[0], c.n !== undefined ? String(c.n) : undefined, ...c.args.slice(1)].filter((a) => a !== undefined).map((a) => (typeof a === 'string' ? a : print(a))).join(', ');
  const name = c.fn === 'count_star' ? 'count' : c.fn;
  const filter = c.filter ? ` filter (${print(c.filter)})` : '';
  const exclude = c.frame.exclude ? ` exclude ${c.frame.exclude.replace('_', ' ')}` : '';
  const frame = usesFrame(c.fn) ? ` ${c.frame.mode} ${boundText(c.frame.start, print)}..${boundText(c.frame.end, print)}${exclude}` : '';
  return `${name}(${args})${filter}${frame}`;
}
