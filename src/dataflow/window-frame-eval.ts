/**
 * Window function values over one ordered partition, for a contiguous range of its rows: what
 * the over-window operator (operators/over-window.ts) recomputes when a partition changes.
 * Postgres semantics (nodeWindowAgg.c): rows are numbered 0…n-1 in ORDER BY order, peers are
 * rows equal on ORDER BY, and each row's frame is computed from its bounds:
 *
 *   ROWS   start/end = i ± offset (clamped to the partition), CURRENT ROW = i
 *   RANGE  CURRENT ROW = the first (start) or last (end) peer of row i; an offset bound = the
 *          first (start) / last (end) row whose key is at / before the row's bound value
 *          (key ∓ offset, computed per row); a NULL key's offset bounds are its NULL peers
 *
 * An aggregate over frames is evaluated the way Postgres does it, row after row: frame bounds
 * never move backwards, so rows entering the frame are added to a running accumulator; when
 * the frame's head moves, an invertible aggregate (count, sum / avg over integers, numeric or
 * interval, bool_and / bool_or) retracts the rows that left, and any other (floats, min, max)
 * restarts from the new head. Float sums therefore add in the same order as Postgres's.
 *
 * Values that fail (a SqlError from an aggregate's result) become the row's error.
 */
import type { Datum } from '../types/datum.js';
import { compareDatums } from '../types/compare.js';
import { SqlError } from '../types/sql-error.js';
import type { Accumulator, AccumulatorFactory } from './aggregates/accumulator.js';
import type { ErrorValue } from './operator.js';
import type { WindowFnName } from '../types/function-names.js';


/** `byValue`: a RANGE offset bound, whose ORDER BY value each row carries (EvalRow.bounds). */
export type Bound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'preceding'; offset: number; byValue?: boolean }
  | { kind: 'current_row' }
  | { kind: 'following'; offset: number; byValue?: boolean }
  | { kind: 'unbounded_following' };

export interface Frame {
  mode: 'rows' | 'range' | 'groups';
  start: Bound;
  end: Bound;
  /** EXCLUDE CURRENT ROW / GROUP (the row's peers) / TIES (the peers but the row). */
  exclude?: 'current_row' | 'group' | 'ties';
}

/** How an aggregate call accumulates: running sums (invertible or not) or min / max. */
export type WindowAggregate = { kind: 'accumulator'; factory: AccumulatorFactory; invertible: boolean } | { kind: 'minmax'; max: boolean };

export interface EvalCall {
  fn: WindowFnName;
  frame: Frame;
  /** lag / lead offset, nth_value's n, ntile's bucket count. */
  n: number;
  /** Aggregates only. */
  aggregate?: WindowAggregate;
}

/** One row of a partition as the evaluator sees it: its argument values and FILTER result per call. */
export interface EvalRow {
  /** Per call: [value, default] as evaluated on the row (lag / lead's default; empty for rankings). */
  args: Datum[][];
  /** Per call: whether the row passes the call's FILTER (true without one). */
  pass: boolean[];
  /**
   * Per call with RANGE offset bounds: [start, end] ORDER BY values of the row's frame
   * (undefined: the bound overflowed, so it reaches the partition's edge).
   */
  bounds: (Datum | undefined)[][];
}

export interface PartitionView {
  readonly length: number;
  row(i: number): EvalRow;
  /** Whether rows i and j tie on ORDER BY. */
  peers(i: number, j: number): boolean;
  /** RANGE offsets (one ORDER BY key): whether row i's key is NULL, and row j's key against a value, in ORDER BY order. */
  keyIsNull(i: number): boolean;
  compareKey(j: number, value: Datum): number;
  /** The rows whose key is not NULL, [first, last] (NULL keys sort at one end). */
  nonNull(): [number, number];
  /** GROUPS frames: each row's peer group, and each group's first and last row. */
  groups(): PeerGroups;
}

export interface PeerGroups {
  of: Int32Array;
  starts: number[];
  ends: number[];
}

/** The peer groups of a partition, in order. */
export function peerGroups(p: PartitionView): PeerGroups {
  const of = new Int32Array(p.length);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (i === 0 || !p.peers(i - 1, i)) {
      if (i > 0) ends.push(i - 1);
      starts.push(i);
    }
    of[i] = starts.length - 1;
  }
  if (p.length > 0) ends.push(p.length - 1);
  return { of, starts, ends };
}

export function peerStart(p: PartitionView, i: number): number {
  while (i > 0 && p.peers(i - 1, i)) i--;
  return i;
}

export function peerEnd(p: PartitionView, i: number): number {
  while (i + 1 < p.length && p.peers(i, i + 1)) i++;
  return i;
}

/**
 * The values of every call for rows from..to (inclusive) of the partition: per row, one datum
 * per call, or the error of the first call that failed.
 */
export function evaluateRange(p: PartitionView, calls: readonly EvalCall[], from: number, to: number): (Datum[] | ErrorValue)[] {
  const count = to - from + 1;
  const out: (Datum[] | ErrorValue)[] = [];
  for (let k = 0; k < count; k++) out.push(new Array<Datum>(calls.length));
  calls.forEach((call, c) => {
    const fill = (k: number, f: () => Datum): void => {
      const slot = out[k]!;
      if (!Array.isArray(slot)) return;
      try {
        slot[c] = f();
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        out[k] = { code: e.code, message: e.message };
      }
    };
    if (call.aggregate) return evaluateAggregate(p, c, call, from, to, fill);
    evaluatePositional(p, c, call, from, to, fill);
  });
  return out;
}

type Fill = (k: number, f: () => Datum) => void;

/** The rankings, lag / lead and the frame's values (first_value, last_value, nth_value). */
function evaluatePositional(p: PartitionView, c: number, call: EvalCall, from: number, to: number, fill: Fill): void {
  const n = p.length;
  switch (call.fn) {
    case 'row_number':
      for (let i = from; i <= to; i++) fill(i - from, () => BigInt(i + 1));
      return;
    case 'rank':
    case 'percent_rank': {
      let start = peerStart(p, from);
      for (let i = from; i <= to; i++) {
        if (i > from && !p.peers(i - 1, i)) start = i;
        const rank = start + 1;
        fill(i - from, () => (call.fn === 'rank' ? BigInt(rank) : n > 1 ? (rank - 1) / (n - 1) : 0));
      }
      return;
    }
    case 'dense_rank': {
      let groups = 1;
      for (let i = 1; i <= from; i++) if (!p.peers(i - 1, i)) groups++;
      for (let i = from; i <= to; i++) {
        if (i > from && !p.peers(i - 1, i)) groups++;
        const g = groups;
        fill(i - from, () => BigInt(g));
      }
      return;
    }
    case 'cume_dist': {
      let end = peerEnd(p, from);
      for (let i = from; i <= to; i++) {
        if (i > end) end = peerEnd(p, i);
        const e = end;
        fill(i - from, () => (e + 1) / n);
      }
      return;
    }
    case 'ntile': {
      // Postgres: the first n % buckets buckets get one row more.
      const buckets = call.n;
      const size = Math.floor(n / buckets);
      const big = n % buckets;
      for (let i = from; i <= to; i++) {
        const inBig = big * (size + 1);
        const bucket = i < inBig ? Math.floor(i / (size + 1)) : big + Math.floor((i - inBig) / size);
        fill(i - from, () => bucket + 1);
      }
      return;
    }
    case 'lag':
    case 'lead':
      for (let i = from; i <= to; i++) {
        const j = call.fn === 'lag' ? i - call.n : i + call.n;
        const args = p.row(i).args[c]!;
        fill(i - from, () => (j >= 0 && j < n ? p.row(j).args[c]![0]! : (args[1] ?? null)));
      }
      return;
    case 'first_value':
    case 'last_value':
    case 'nth_value':
      for (let i = from; i <= to; i++) {
        const [fs, fe] = frameOf(p, call.frame, i, c);
        const skip = excluded(p, call.frame, i);
        let j: number;
        if (call.fn === 'last_value') for (j = fe; j >= fs && skip(j); j--);
        else {
          let left = call.fn === 'first_value' ? 1 : call.n;
          for (j = fs; j <= fe; j++) if (!skip(j) && --left === 0) break;
        }
        fill(i - from, () => (j >= fs && j <= fe ? p.row(j).args[c]![0]! : null));
      }
      return;
    default:
      throw new Error(`internal error: ${call.fn} is not a positional window function`);
  }
}

/**
 * Row i's frame [start, end] (empty when start > end), clamped to the partition; `c` is the
 * call's index (for its RANGE offset bound values).
 */
export function frameOf(p: PartitionView, f: Frame, i: number, c: number): [number, number] {
  const n = p.length;
  const at = (b: Bound, isStart: boolean): number => {
    switch (b.kind) {
      case 'unbounded_preceding':
        return 0;
      case 'unbounded_following':
        return n - 1;
      case 'preceding':
      case 'following':
        if (b.byValue) return rangeBound(p, i, p.row(i).bounds[c]![isStart ? 0 : 1], isStart);
        if (f.mode === 'groups') {
          // The first (start) or last (end) row of the group `offset` groups away; past the
          // partition's edge, a start before the first group is its start, an end past the last its end.
          const g = p.groups();
          const k = g.of[i]! + (b.kind === 'preceding' ? -b.offset : b.offset);
          if (k < 0) return isStart ? 0 : -1;
          if (k >= g.starts.length) return isStart ? n : n - 1;
          return isStart ? g.starts[k]! : g.ends[k]!;
        }
        return b.kind === 'preceding' ? i - b.offset : i + b.offset;
      case 'current_row':
        if (f.mode === 'rows') return i;
        return isStart ? peerStart(p, i) : peerEnd(p, i);
    }
  };
  return [Math.max(0, at(f.start, true)), Math.min(n - 1, at(f.end, false))];
}

/**
 * A RANGE offset bound of row i: with a NULL key, its peers (the NULL rows); else the first row
 * whose key is at or after `value` (start) or the last at or before it (end), in ORDER BY order.
 * NULL keys sort at one end and are never within an offset of a non-NULL key.
 */
function rangeBound(p: PartitionView, i: number, value: Datum | undefined, isStart: boolean): number {
  if (p.keyIsNull(i)) return isStart ? peerStart(p, i) : peerEnd(p, i);
  const [first, last] = p.nonNull();
  if (value === undefined) return isStart ? first : last;
  let lo = first;
  let hi = last + 1;
  if (isStart) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (p.compareKey(mid, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p.compareKey(mid, value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Whether row j is excluded from row i's frame (EXCLUDE …). */
function excluded(p: PartitionView, f: Frame, i: number): (j: number) => boolean {
  switch (f.exclude) {
    case undefined:
      return () => false;
    case 'current_row':
      return (j) => j === i;
    case 'group':
      return (j) => j === i || p.peers(i, j);
    case 'ties':
      return (j) => j !== i && p.peers(i, j);
  }
}

/** The rows of [fs, fe] row i's EXCLUDE takes out of its frame. */
function excludedRows(p: PartitionView, f: Frame, i: number, fs: number, fe: number): number[] {
  if (f.exclude === undefined) return [];
  if (f.exclude === 'current_row') return i >= fs && i <= fe ? [i] : [];
  const out: number[] = [];
  for (let j = Math.max(fs, peerStart(p, i)), end = Math.min(fe, peerEnd(p, i)); j <= end; j++) if (f.exclude === 'group' || j !== i) out.push(j);
  return out;
}

/** A min or max as an accumulator that only adds (restarted when the frame's head moves). */
class MinMax implements Accumulator {
  best: Datum = null;
  constructor(readonly max: boolean) {}
  add(value: Datum): void {
    if (value === null) return;
    if (this.best === null) this.best = value;
    else {
      const c = compareDatums(value, this.best);
      if (this.max ? c > 0 : c < 0) this.best = value;
    }
  }
  result(): Datum {
    return this.best;
  }
  save(): Datum[] {
    return [this.best];
  }
}

function evaluateAggregate(p: PartitionView, c: number, call: EvalCall, from: number, to: number, fill: Fill): void {
  const agg = call.aggregate!;
  const create = (): Accumulator => (agg.kind === 'minmax' ? new MinMax(agg.max) : agg.factory.create());
  const invertible = agg.kind === 'accumulator' && agg.invertible;
  const add = (acc: Accumulator, j: number, diff: number): void => {
    const r = p.row(j);
    if (r.pass[c]) acc.add(call.fn === 'count_star' ? true : r.args[c]![0]!, diff);
  };
  let acc = create();
  let as = 0; // the accumulated rows are [as, ae]
  let ae = -1;
  for (let i = from; i <= to; i++) {
    const [fs, fe] = frameOf(p, call.frame, i, c);
    if (fs > fe) {
      // An empty frame (n PRECEDING .. m PRECEDING at the start): the aggregate of no rows.
      const empty = create();
      fill(i - from, () => empty.result());
      continue;
    }
    if (fs !== as || ae < as) {
      if (invertible && ae >= as && fs >= as && fs <= ae + 1) {
        for (let j = as; j < fs; j++) add(acc, j, -1);
        as = fs;
      } else {
        acc = create();
        as = fs;
        ae = fs - 1;
      }
    }
    for (let j = ae + 1; j <= fe; j++) add(acc, j, 1);
    ae = Math.max(ae, fe);
    const a = acc;
    const out = excludedRows(p, call.frame, i, fs, fe);
    if (out.length === 0) fill(i - from, () => a.result());
    else if (invertible) {
      // Take the excluded rows out for this row's value, then back in.
      for (const j of out) add(a, j, -1);
      fill(i - from, () => a.result());
      for (const j of out) add(a, j, 1);
    } else {
      const fresh = create();
      const skip = new Set(out);
      for (let j = fs; j <= fe; j++) if (!skip.has(j)) add(fresh, j, 1);
      fill(i - from, () => fresh.result());
    }
  }
}

/** The rows with a non-NULL first ORDER BY key: NULLs are a run at the start (NULLS FIRST) or the end. */
export function nonNullRange(p: PartitionView, nullsFirst: boolean): [number, number] {
  let lo = 0;
  let hi = p.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p.keyIsNull(mid) === nullsFirst) lo = mid + 1;
    else hi = mid;
  }
  return nullsFirst ? [lo, p.length - 1] : [0, lo - 1];
}
