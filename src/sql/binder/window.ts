/**
 * Window functions in a select list (and ORDER BY) of a query without GROUP BY: every call
 * `f(…) OVER (…)` is bound here, before the select list, and the select list then reads its
 * column (`env.windowCalls`, looked up by the call's AST node in expr-call.ts).
 *
 * - Only row_number(), rank() or dense_rank() (one of them, one window): the input is ranked
 *   by a TopK with no limit and a rank column (`rankColumn`, numbered as the function numbers:
 *   `ranking`), so that a filter on it in an enclosing query (`WHERE rn <= 3`) is folded into
 *   the TopK's limit by rules/topk-rank-filter.ts: a top-k, whose state is the same but whose
 *   output is only the top rows.
 * - Anything else: one Window node per distinct (PARTITION BY, ORDER BY), chained, each with
 *   its calls and their frames (window-function.ts, window-spec.ts).
 *
 * Named windows (`WINDOW w AS (…)`, `OVER w`, `OVER (w ORDER BY …)`) are resolved first.
 * Window calls nested in a window call's arguments are 42P20, as in Postgres.
 */
import type { FuncCall, Node, WindowDef } from '@pgsql/types';
import type { Ranking } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import type { WindowCall } from '../../plan/window-call.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { bindSortBy } from './sort.js';
import { bindWindowCall } from './window-function.js';
import { bindFrame, resolveWindow } from './window-spec.js';

interface Found {
  call: FuncCall;
  name: string;
  over: WindowDef;
}

function windowCalls(nodes: Node[]): Found[] {
  const out: Found[] = [];
  const walk = (x: unknown, inside: Found | undefined): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach((y) => walk(y, inside));
    for (const [k, v] of Object.entries(x)) {
      if (k === 'subselect') continue;
      if (k === 'FuncCall' && (v as FuncCall).over) {
        const f = v as FuncCall;
        if (inside) throw sqlError(SqlState.windowingError, 'window function calls cannot be nested', f.location);
        const names = (f.funcname ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
        const found: Found = { call: f, name: (names[names.length - 1] ?? '').toLowerCase(), over: f.over! };
        out.push(found);
        walk(v, found);
        continue;
      }
      walk(v, inside);
    }
  };
  walk(nodes, undefined);
  return out;
}

const RANKINGS = new Set(['row_number', 'rank', 'dense_rank']);

const specKey = (w: WindowDef): string => JSON.stringify(w, (k, v) => (k === 'location' ? undefined : v));

/** Binds the window calls of `nodes` (select list and ORDER BY) over `env.rel.plan`, appending their columns. */
export function bindWindow(env: ExprEnv, nodes: Node[], c: number, named?: Node[]): void {
  const calls = windowCalls(nodes);
  if (calls.length === 0) return;
  for (const f of calls) f.over = resolveWindow(f.over, named, f.call.location);
  const first = calls[0]!;
  const topK =
    RANKINGS.has(first.name) &&
    calls.every((f) => f.name === first.name && (f.call.args ?? []).length === 0 && !f.call.agg_star && specKey(f.over) === specKey(first.over));
  const wenv: ExprEnv = { ...env, clause: 'window definition', subqueries: 'forbid' };
  const bindParts = (over: WindowDef): { keys: number[]; mapped: ScalarExpr[] } => {
    const w = env.rel.plan.schema.length;
    const mapped: ScalarExpr[] = [];
    const keys = (over.partitionClause ?? []).map((n) => {
      const e = resolveUnknown(env.ctx, bindExpr(wenv, n));
      return e.kind === 'Column' ? e.index : (mapped.push(e), w + mapped.length - 1);
    });
    return { keys: [...P.range(c), ...keys], mapped };
  };
  const columns = new Map<FuncCall, ScalarExpr>();
  if (topK) {
    const { keys, mapped } = bindParts(first.over);
    const order = (first.over.orderClause ?? []).map((n) => bindSortBy(wenv, n));
    const ranked = P.topK(P.map(env.rel.plan, mapped), keys, order, null, 0, true, first.name as Ranking);
    env.rel.plan = ranked;
    const column: ScalarExpr = { kind: 'Column', index: ranked.schema.length - 1, type: { kind: 'int8' }, name: first.name };
    for (const f of calls) columns.set(f.call, column);
    env.windowCalls = columns;
    return;
  }
  // One Window node per (PARTITION BY, ORDER BY), in the order the windows first appear.
  const groups = new Map<string, Found[]>();
  for (const f of calls) {
    const k = specKey({ partitionClause: f.over.partitionClause, orderClause: f.over.orderClause });
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  for (const group of groups.values()) {
    const over = group[0]!.over;
    const { keys, mapped } = bindParts(over);
    const input = P.map(env.rel.plan, mapped);
    const order = (over.orderClause ?? []).map((n) => bindSortBy({ ...wenv, rel: { plan: input } }, n));
    const bound: WindowCall[] = [];
    const index = new Map<string, number>();
    const slots: number[] = [];
    const names: string[] = [];
    for (const f of group) {
      const inputEnv: ExprEnv = { ...env, rel: { plan: input } };
      const call = bindWindowCall(inputEnv, f.name, f.call, bindFrame({ ...inputEnv, clause: 'window definition', subqueries: 'forbid' }, f.over, f.call.location, order));
      const k = JSON.stringify([f.name, specKey(f.call as unknown as WindowDef)]);
      let i = index.get(k);
      if (i === undefined) {
        index.set(k, (i = bound.push(call) - 1));
        names.push(f.name);
      }
      slots.push(i);
    }
    const windowed = P.window(input, keys, order, bound, names);
    env.rel.plan = windowed;
    group.forEach((f, j) => {
      const i = slots[j]!;
      columns.set(f.call, { kind: 'Column', index: input.schema.length + i, type: bound[i]!.type, name: f.name });
    });
  }
  env.windowCalls = columns;
}
