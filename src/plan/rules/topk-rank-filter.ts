/**
 * Folds `rank <= n` / `rank < n` / `rank = 1` filters on a TopK's row_number() column into
 * its limit: Filter(TopK(limit=∞, rank), #r <= 3) → TopK(limit=3, rank). (`rank = n` for
 * n > 1 keeps its filter and still bounds the TopK at n.)
 */
import type { LogicalPlan } from '../logical-plan.js';
import type { ScalarExpr } from '../scalar-expr.js';
import type { Rule } from './rule.js';

function intValue(e: ScalarExpr): number | undefined {
  if (e.kind !== 'Literal') return undefined;
  if (typeof e.value === 'bigint') return Number(e.value);
  if (typeof e.value === 'number' && Number.isInteger(e.value)) return e.value;
  return undefined;
}

const FLIP: Record<string, string> = { le: 'ge', lt: 'gt', ge: 'le', gt: 'lt', eq: 'eq' };

/** The limit a predicate implies on column `rank`, and whether the predicate is then redundant. */
function implied(e: ScalarExpr, rank: number): { limit: number; redundant: boolean } | undefined {
  if (e.kind !== 'Call' || e.args.length !== 2) return undefined;
  const m = /_(le|lt|eq|ge|gt)$/.exec(e.fn);
  if (!m) return undefined;
  let op = m[1]!;
  let [a, b] = e.args as [ScalarExpr, ScalarExpr];
  if (!(a.kind === 'Column' && a.index === rank)) {
    [a, b] = [b, a];
    op = FLIP[op]!;
  }
  if (!(a.kind === 'Column' && a.index === rank)) return undefined;
  const n = intValue(b);
  if (n === undefined) return undefined;
  if (op === 'le') return { limit: Math.max(n, 0), redundant: true };
  if (op === 'lt') return { limit: Math.max(n - 1, 0), redundant: true };
  if (op === 'eq') return { limit: Math.max(n, 0), redundant: n <= 1 };
  return undefined;
}

export const topkRankFilter: Rule = {
  name: 'topk-rank-filter',
  apply(p: LogicalPlan): LogicalPlan {
    if (p.kind !== 'Filter' || p.input.kind !== 'TopK') return p;
    const t = p.input;
    if (!t.rankColumn || t.offset !== 0) return p;
    const rank = t.schema.length - 1;
    let limit = t.limit;
    const keep: ScalarExpr[] = [];
    for (const pred of p.predicates) {
      const imp = implied(pred, rank);
      if (imp && (limit === null || imp.limit <= limit)) {
        limit = imp.limit;
        if (!imp.redundant) keep.push(pred);
      } else keep.push(pred);
    }
    if (limit === t.limit) return p;
    const topk: LogicalPlan = { ...t, limit };
    return keep.length ? { ...p, input: topk, predicates: keep } : topk;
  },
};
