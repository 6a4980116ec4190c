/**
 * Finds an interval join's time bounds (DESIGN §4, time-bounded join): conjuncts of a join's
 * residual that compare a right-side time column with a left-side one, each plus or minus a
 * constant interval, e.g. `b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts` (two conjuncts).
 * Each becomes a bound on `right.t - left.t`; with watermarks on both time columns the join
 * can free rows that no future row of the other side can match.
 *
 *   r.t >= l.t - 10s   →  r.t - l.t >= -10s  (lower)
 *   l.t >= r.t         →  r.t - l.t <= 0     (upper)
 *
 * Strictness is dropped (a non-strict bound frees a row no earlier), and intervals with
 * months are not constant durations, so they bound nothing.
 */
import type { ScalarExpr } from '../scalar-expr.js';
import type { TimeBounds } from '../physical/dataflow-plan.js';
import { peelIntervalOffset } from '../interval-offset.js';

const CMP = /^(timestamp|timestamptz)_(lt|le|gt|ge)$/;

/** `col ± constant` as [column, µs], or null. */
function offsetOf(e: ScalarExpr): [number, number] | null {
  const peeled = peelIntervalOffset(e);
  if (peeled) {
    const inner = offsetOf(peeled[0]);
    return inner && [inner[0], inner[1] + peeled[1]];
  }
  return e.kind === 'Column' && (e.type.kind === 'timestamp' || e.type.kind === 'timestamptz') ? [e.index, 0] : null;
}

export function findTimeBounds(conjuncts: readonly ScalarExpr[], leftArity: number): TimeBounds | undefined {
  let bounds: TimeBounds | undefined;
  for (const c of conjuncts) {
    if (c.kind !== 'Call') continue;
    const m = CMP.exec(c.fn);
    if (!m) continue;
    const a = offsetOf(c.args[0]!);
    const b = offsetOf(c.args[1]!);
    if (!a || !b) continue;
    const aLeft = a[0] < leftArity;
    const bLeft = b[0] < leftArity;
    if (aLeft === bLeft) continue;
    // a.t + a.off  op  b.t + b.off, as  r.t - l.t  op'  k
    const [l, r] = aLeft ? [a, b] : [b, a];
    const greater = m[2] === 'gt' || m[2] === 'ge';
    // aLeft: l.t + lo op r.t + ro  →  r.t - l.t flip(op) lo - ro;  else r.t + ro op l.t + lo  →  r.t - l.t op lo - ro
    const k = l[1] - r[1];
    const isLower = aLeft ? !greater : greater;
    const leftColumn = l[0];
    const rightColumn = r[0] - leftArity;
    if (bounds && (bounds.leftColumn !== leftColumn || bounds.rightColumn !== rightColumn)) continue;
    bounds ??= { leftColumn, rightColumn, lowerUs: null, upperUs: null };
    if (isLower) bounds.lowerUs = bounds.lowerUs === null ? k : Math.max(bounds.lowerUs, k);
    else bounds.upperUs = bounds.upperUs === null ? k : Math.min(bounds.upperUs, k);
  }
  return bounds;
}
