/**
 * row_number(), rank() and dense_rank() OVER (PARTITION BY … ORDER BY …) in a select list: the
 * input is ranked by a TopK with no limit and a rank column (`rankColumn`, numbered as the
 * function numbers: `ranking`), and the call reads that column. A filter on it in an
 * enclosing query (`WHERE rn <= 3`) is folded into the TopK's limit by the rule
 * rules/topk-rank-filter.ts (with rank(), the limit keeps whole ties). Other window functions
 * are 0A000 for now.
 */
import type { Node, WindowDef } from '@pgsql/types';
import * as P from '../../plan/plan-builders.js';
import type { Ranking } from '../../plan/logical-plan.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { bindSortBy } from './sort.js';

function windowCalls(nodes: Node[]): { name: string; over: WindowDef; location?: number }[] {
  const out: { name: string; over: WindowDef; location?: number }[] = [];
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    for (const [k, v] of Object.entries(x)) {
      if (k === 'subselect') continue;
      if (k === 'FuncCall' && (v as { over?: WindowDef }).over) {
        const f = v as { funcname?: Node[]; over: WindowDef; location?: number };
        const names = (f.funcname ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
        out.push({ name: (names[names.length - 1] ?? '').toLowerCase(), over: f.over, location: f.location });
      }
      walk(v);
    }
  };
  walk(nodes);
  return out;
}

const RANKINGS = new Set(['row_number', 'rank', 'dense_rank']);

const specKey = (w: WindowDef): string => JSON.stringify(w, (k, v) => (k === 'location' ? undefined : v));

export function bindWindow(env: ExprEnv, targets: Node[], c: number): void {
  const calls = windowCalls(targets);
  if (calls.length === 0) return;
  const other = calls.find((f) => !RANKINGS.has(f.name));
  if (other) {
    throw sqlError(SqlState.featureNotSupported, `window function ${other.name} is not supported yet`, other.location, {
      hint: 'row_number(), rank() and dense_rank() OVER (PARTITION BY … ORDER BY …), filtered by an outer WHERE, are supported.',
    });
  }
  const ranking = calls[0]!.name as Ranking;
  if (calls.some((f) => f.name !== ranking)) {
    throw sqlError(SqlState.featureNotSupported, 'several ranking functions in one select list are not supported yet', calls[0]!.location);
  }
  const spec = calls[0]!.over;
  if (calls.some((f) => specKey(f.over) !== specKey(spec)) || spec.name || spec.refname) {
    throw sqlError(SqlState.featureNotSupported, 'several or named windows are not supported yet', calls[0]!.location);
  }
  const wenv: ExprEnv = { ...env, clause: 'window definition', subqueries: 'forbid' };
  const parts = (spec.partitionClause ?? []).map((n) => resolveUnknown(env.ctx, bindExpr(wenv, n)));
  const order = (spec.orderClause ?? []).map((n) => bindSortBy(wenv, n));
  const input = env.rel.plan;
  const w = input.schema.length;
  const mapped: ScalarExpr[] = [];
  const keys = parts.map((e) => (e.kind === 'Column' ? e.index : (mapped.push(e), w + mapped.length - 1)));
  const ranked = P.topK(P.map(input, mapped), [...P.range(c), ...keys], order, null, 0, true, ranking);
  env.rel.plan = ranked;
  env.windowColumn = ranked.schema.length - 1;
}
