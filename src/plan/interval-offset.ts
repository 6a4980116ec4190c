/**
 * `x ± INTERVAL '…'` with a constant interval of fixed length (no months): the shape that both
 * interval-join bounds (lower/time-bounds.ts) and temporal filters (temporal-filter.ts) read
 * from a comparison, peeled one level at a time.
 */
import type { ScalarExpr } from './scalar-expr.js';
import type { Interval } from '../types/datum.js';

const ADD = /^timestamp(tz)?_add_interval$/;
const SUB = /^timestamp(tz)?_sub_interval$/;

/** [x, ±µs] for `x + c` / `x - c` with c a constant interval without months; null otherwise. */
export function peelIntervalOffset(e: ScalarExpr): [ScalarExpr, number] | null {
  if (e.kind !== 'Call' || e.args.length !== 2) return null;
  const sign = ADD.test(e.fn) ? 1 : SUB.test(e.fn) ? -1 : 0;
  const [a, b] = e.args as [ScalarExpr, ScalarExpr];
  if (sign === 0 || b.kind !== 'Literal' || b.value === null) return null;
  const iv = b.value as Interval;
  return iv.months !== 0 ? null : [a, sign * iv.totalMicros()];
}
