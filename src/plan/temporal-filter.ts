/**
 * Temporal filters (Materialize's term): a predicate that compares a row's time with now(),
 * e.g. `ts > now() - INTERVAL '1' HOUR` or `mz_now() <= ts + INTERVAL '1' HOUR`. In a
 * maintained view it cannot be evaluated once: it says during which span of wall-clock time a
 * row belongs to the view. Each such predicate is normalised to a bound on now:
 *
 *   now >= e + offset   (lower: the row enters when now reaches it)
 *   now <  e + offset   (upper: the row leaves when now reaches it)
 *
 * with `e` an expression over the row (no now() in it) and `offset` a constant in µs (strict
 * and non-strict comparisons differ by 1 µs). A predicate with now() in any other form is not
 * a temporal filter.
 */
import type { ScalarExpr } from './scalar-expr.js';
import { peelIntervalOffset } from './interval-offset.js';

export interface TemporalBound {
  kind: 'lower' | 'upper';
  expr: ScalarExpr;
  offsetUs: number;
}

const CMP = /^(timestamp|timestamptz)_(lt|le|gt|ge)$/;

/** True when `e` reads now() / mz_now() anywhere. */
export function readsNow(e: ScalarExpr): boolean {
  switch (e.kind) {
    case 'Unmaterializable':
      return e.fn === 'now' || e.fn === 'mz_now';
    case 'Column':
    case 'Literal':
    case 'Param':
      return false;
    case 'Call':
    case 'And':
    case 'Or':
    case 'Coalesce':
      return e.args.some(readsNow);
    case 'Cast':
      return readsNow(e.expr);
    case 'Not':
    case 'IsNull':
      return readsNow(e.arg);
    case 'Case':
      return e.whens.some((w) => readsNow(w.cond) || readsNow(w.result)) || readsNow(e.else);
    case 'ArrayMap':
      return readsNow(e.array) || readsNow(e.body);
  }
}

/** `now() ± constant` (possibly cast between timestamp and timestamptz) as its offset in µs, else null. */
function nowOffset(e: ScalarExpr): number | null {
  if (e.kind === 'Unmaterializable') return e.fn === 'now' || e.fn === 'mz_now' ? 0 : null;
  if (e.kind === 'Cast') return e.type.kind === 'timestamp' || e.type.kind === 'timestamptz' ? nowOffset(e.expr) : null;
  const peeled = peelIntervalOffset(e);
  const inner = peeled && nowOffset(peeled[0]);
  return peeled && inner !== null ? inner + peeled[1] : null;
}

/** The bound a predicate puts on now, or null when it is not a temporal filter. */
export function temporalBound(p: ScalarExpr): TemporalBound | null {
  if (p.kind !== 'Call') return null;
  const m = CMP.exec(p.fn);
  if (!m) return null;
  const [a, b] = p.args as [ScalarExpr, ScalarExpr];
  let op = m[2]!;
  let c = nowOffset(a);
  let expr = b;
  if (c === null) {
    c = nowOffset(b);
    expr = a;
    op = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' }[op]!;
  }
  if (c === null || readsNow(expr)) return null;
  // now + c  op  expr   ⇔   now  op  expr - c
  switch (op) {
    case 'ge':
      return { kind: 'lower', expr, offsetUs: -c };
    case 'gt':
      return { kind: 'lower', expr, offsetUs: -c + 1 };
    case 'lt':
      return { kind: 'upper', expr, offsetUs: -c };
    default:
      return { kind: 'upper', expr, offsetUs: -c + 1 };
  }
}
