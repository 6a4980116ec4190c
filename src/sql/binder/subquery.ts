/**
 * Subqueries in expressions, decorrelated into joins. A subquery is bound twice:
 *
 * 1. probe: bound with the enclosing scope behind an 'outer' link, which records the
 *    enclosing plan's columns it references (`corr`). None → uncorrelated, keep the result.
 * 2. otherwise rebind it over the domain K = Distinct(Project(P, corr)) of the enclosing
 *    plan P: its plan starts with K's columns (select.ts), so it computes its result for
 *    every distinct correlation value at once, keyed by them.
 *
 * The result S (k domain columns ++ outputs) then joins P, appending columns and never
 * changing P's rows or their multiplicities (the right sides have one row per key):
 *
 * - scalar `(SELECT v …)`: P ⟕ S on P.corr = S.k; the value is the appended column. An
 *   aggregate without GROUP BY yields one row per domain row (grouping.ts), so
 *   `(SELECT count(*) …)` is 0, not NULL, where nothing matches. Where S may have several
 *   rows for one key, the value goes through `error_if_multiple(count, value)` first
 *   (atMostOneRow): several rows put error 21000 in the view's error stream, as Postgres
 *   raises it, and retracting the extra rows retracts the error.
 * - `EXISTS`: P ⟕ (Distinct(Project(S, k)) ++ marker true); EXISTS = marker IS NOT NULL,
 *   NOT EXISTS = marker IS NULL (an anti join).
 * - `x IN (SELECT y …)` in general: three markers (a match x = y; S non-empty; S has a NULL
 *   y) give SQL's three-valued answer, so NOT IN is right with NULLs.
 * - positive `EXISTS` / `IN` conjuncts of WHERE: a semi join P ⋈ Distinct(Project(S, k [, y])).
 *
 * Correlation keys compare with `=` when the outer column is NOT NULL, else null-safely as
 * `(a = b) OR (a IS NULL AND b IS NULL)`.
 */
import { bindArraySubLink } from './array-sublink.js';
import type { Node, SelectStmt, SubLink } from '@pgsql/types';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { and } from '../../plan/scalar-util.js';
import { uniqueOn } from '../../plan/unique-keys.js';
import { SqlState } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { bindCondition, bindExpr, bindOperator, strings } from './expr.js';
import { DEFER_BASE, type ExprEnv } from './expr-env.js';
import { finishAsSubquery } from './query-shape.js';
import { Scope } from './scope.js';

const BOOL: SqlType = { kind: 'bool' };
const INT8: SqlType = { kind: 'int8' };
const TRUE: ScalarExpr = { kind: 'Literal', value: true, type: BOOL };
const col = (index: number, type: SqlType): ScalarExpr => ({ kind: 'Column', index, type });
const notNull = (arg: ScalarExpr): ScalarExpr => ({ kind: 'Not', arg: { kind: 'IsNull', arg, type: BOOL }, type: BOOL });

interface BoundSub {
  /** Domain columns (corr.length) then the subquery's outputs. */
  plan: LogicalPlan;
  corr: number[];
  columns: { name: string; type: SqlType }[];
}

function select(s: SubLink): SelectStmt {
  return (s.subselect as { SelectStmt: SelectStmt }).SelectStmt;
}

/** Probe, then (if correlated) rebind over the domain of `env.rel.plan`. */
function bindSub(env: ExprEnv, s: SubLink): BoundSub {
  const ctes = env.ctes ?? [];
  const correlated = new Set<number>();
  const q1 = env.ctx.bindQuery(select(s), { parent: env.scope, correlated, ctes });
  if (correlated.size === 0) return { plan: finishAsSubquery(q1), corr: [], columns: q1.columns };
  const corr = [...correlated].sort((a, b) => a - b);
  const domain = P.distinct(P.project(env.rel.plan, corr));
  const pos = new Map(corr.map((c, i) => [c, i] as const));
  // The domain's names mirror the enclosing levels; beyond them the enclosing query's own
  // outer link stays, so deeper references (to a grand-outer query) still resolve.
  const levels = env.scope.samePlanLevels();
  const last = levels[levels.length - 1]!;
  let scope: Scope | undefined;
  for (const level of [...levels].reverse()) {
    const items = level.items.filter((it) => pos.has(it.index)).map((it) => ({ ...it, index: pos.get(it.index)! }));
    scope = scope ? new Scope(items, scope, 'same-plan') : new Scope(items, last.parent, last.link, last.correlated);
  }
  const q2 = env.ctx.bindQuery(select(s), { domain: { plan: domain, scope: scope! }, ctes });
  return { plan: finishAsSubquery(q2), corr, columns: q2.columns };
}

export function nullSafeEquals(env: ExprEnv, i: number, j: number, type: SqlType, nullable: boolean): ScalarExpr {
  const eq = bindOperator(env, '=', col(i, type), col(j, type), undefined);
  if (!nullable) return eq;
  const bothNull: ScalarExpr = { kind: 'And', args: [{ kind: 'IsNull', arg: col(i, type), type: BOOL }, { kind: 'IsNull', arg: col(j, type), type: BOOL }], type: BOOL };
  return { kind: 'Or', args: [eq, bothNull], type: BOOL };
}

/** Left-joins `right` (k key columns first) onto env.rel.plan; returns the index of right's first column. */
function attach(env: ExprEnv, sub: BoundSub, right: LogicalPlan, extra: ScalarExpr[] = [], kind: 'left' | 'inner' = 'left'): number {
  const left = env.rel.plan;
  const w = left.schema.length;
  const keys = sub.corr.map((c, i) => nullSafeEquals(env, c, w + i, left.schema[c]!.type, left.schema[c]!.nullable));
  env.rel.plan = P.join(kind, left, right, and([...keys, ...extra]));
  return w;
}

/**
 * The scalar subquery's plan (k key columns ++ value) with its one-row rule: where a key has
 * several rows, each of them becomes error 21000 in the error stream (and the outer rows of
 * that key get NULL, hidden behind the error). That is S ⋈ Reduce(S, k, count(*)) on the key,
 * mapping the value through error_if_multiple(count, value). Skipped when the plan is already
 * at most one row per key (a global aggregate, LIMIT 1…; plan/unique-keys.ts).
 */
function atMostOneRow(env: ExprEnv, sub: BoundSub): LogicalPlan {
  const k = sub.corr.length;
  const s = sub.plan;
  if (uniqueOn(s, P.range(k))) return s;
  const counts = P.reduce(P.project(s, P.range(k)), P.range(k), [{ fn: 'count_star', args: [], distinct: false, type: INT8 }], ['count']);
  const w = k + 1;
  const keys = P.range(k).map((i) => nullSafeEquals(env, i, w + i, s.schema[i]!.type, s.schema[i]!.nullable));
  const joined = P.join('inner', s, counts, and(keys));
  const value = col(k, sub.columns[0]!.type);
  const checked: ScalarExpr = { kind: 'Call', fn: 'error_if_multiple', args: [col(w + k, INT8), value], type: value.type };
  return P.project(P.map(joined, [checked], [s.schema[k]!.name]), [...P.range(k), joined.schema.length]);
}

const marker = (p: LogicalPlan): LogicalPlan => P.map(P.distinct(p), [TRUE], ['marker']);

function oneColumn(sub: BoundSub, location: number | undefined): void {
  if (sub.columns.length !== 1) throw sqlError(SqlState.syntaxError, sub.columns.length > 1 ? 'subquery must return only one column' : 'subquery has too few columns', location);
}

/** `x op ANY (…)` as (x, op) with op '=' (IN) — other operators are not supported yet. */
function anyOperator(s: SubLink): string {
  const op = strings(s.operName).at(-1) ?? '=';
  if (op !== '=') throw sqlError(SqlState.featureNotSupported, `${op} ANY (subquery) is not supported yet`, s.location);
  if (s.testexpr && 'RowExpr' in s.testexpr) throw sqlError(SqlState.featureNotSupported, 'row-valued IN (subquery) is not supported yet', s.location);
  return op;
}

export function bindSubLink(env: ExprEnv, s: SubLink): ScalarExpr {
  if (s.subLinkType === 'ARRAY_SUBLINK') return bindArraySubLink(env, s, bindSubLink);
  if (env.subqueries === 'forbid') throw sqlError(SqlState.featureNotSupported, `subqueries in ${env.clause} are not supported yet`, s.location);
  if (env.subqueries === 'defer') {
    if (s.subLinkType !== 'EXPR_SUBLINK' && s.subLinkType !== 'EXISTS_SUBLINK') {
      throw sqlError(SqlState.featureNotSupported, 'IN (subquery) in a grouped select list or HAVING is not supported yet', s.location);
    }
    const correlated = new Set<number>();
    const q = env.ctx.bindQuery(select(s), { parent: env.scope, correlated, ctes: env.ctes ?? [] });
    if (correlated.size > 0) throw sqlError(SqlState.featureNotSupported, 'correlated subqueries in a grouped select list or HAVING are not supported yet', s.location);
    if (s.subLinkType === 'EXPR_SUBLINK') oneColumn({ plan: q.plan, corr: [], columns: q.columns }, s.location);
    env.deferred!.push({ node: s, location: s.location });
    return { kind: 'Column', index: DEFER_BASE - (env.deferred!.length - 1), type: s.subLinkType === 'EXISTS_SUBLINK' ? BOOL : q.columns[0]!.type };
  }
  return applyUncorrelatedSubLink(env, s);
}

/** Binds a subquery expression by joining it onto env.rel.plan (mode 'join'). */
export function applyUncorrelatedSubLink(env: ExprEnv, s: SubLink): ScalarExpr {
  switch (s.subLinkType) {
    case 'EXPR_SUBLINK': {
      const sub = bindSub(env, s);
      oneColumn(sub, s.location);
      const at = attach(env, sub, atMostOneRow(env, sub));
      return col(at + sub.corr.length, sub.columns[0]!.type);
    }
    case 'EXISTS_SUBLINK': {
      const sub = bindSub(env, s);
      const at = attach(env, sub, marker(P.project(sub.plan, P.range(sub.corr.length))));
      return notNull(col(at + sub.corr.length, BOOL));
    }
    case 'ANY_SUBLINK':
      return bindIn(env, s);
    case 'ALL_SUBLINK': {
      const op = strings(s.operName).at(-1);
      if (op !== '<>') throw sqlError(SqlState.featureNotSupported, `${op} ALL (subquery) is not supported yet`, s.location);
      return { kind: 'Not', arg: bindIn(env, { ...s, subLinkType: 'ANY_SUBLINK', operName: [{ String: { sval: '=' } }] }), type: BOOL };
    }
    default:
      throw sqlError(SqlState.featureNotSupported, `${(s.subLinkType ?? '').replace('_SUBLINK', '').toLowerCase()} subqueries are not supported yet`, s.location);
  }
}

/** `x IN (SELECT y …)` with three-valued logic, via three marker joins. */
function bindIn(env: ExprEnv, s: SubLink): ScalarExpr {
  anyOperator(s);
  const x = bindExpr(env, s.testexpr!);
  const sub = bindSub(env, s);
  oneColumn(sub, s.location);
  const k = sub.corr.length;
  const yType = sub.columns[0]!.type;
  const w0 = env.rel.plan.schema.length;
  const cmp = bindOperator(env, '=', x, col(w0 + k, yType), s.location);
  const m1 = attach(env, sub, marker(P.project(sub.plan, P.range(k + 1))), [cmp]);
  const m2 = attach(env, sub, marker(P.project(sub.plan, P.range(k))));
  const nullY = P.filter(sub.plan, [{ kind: 'IsNull', arg: col(k, yType), type: BOOL }]);
  const m3 = attach(env, sub, marker(P.project(nullY, P.range(k))));
  const isNull = (e: ScalarExpr): ScalarExpr => ({ kind: 'IsNull', arg: e, type: BOOL });
  return {
    kind: 'Case',
    whens: [
      { cond: notNull(col(m1 + k + 1, BOOL)), result: TRUE },
      { cond: isNull(col(m2 + k, BOOL)), result: { kind: 'Literal', value: false, type: BOOL } },
      { cond: { kind: 'Or', args: [isNull(x), notNull(col(m3 + k, BOOL))], type: BOOL }, result: { kind: 'Literal', value: null, type: BOOL } },
    ],
    else: { kind: 'Literal', value: false, type: BOOL },
    type: BOOL,
  };
}

function flattenAnd(n: Node): Node[] {
  if ('BoolExpr' in n && n.BoolExpr.boolop === 'AND_EXPR') return (n.BoolExpr.args ?? []).flatMap(flattenAnd);
  return [n];
}

/** WHERE: positive EXISTS / IN conjuncts become semi joins, the rest one Filter. */
export function bindWhere(env: ExprEnv, node: Node): void {
  const w = env.rel.plan.schema.length;
  const preds: ScalarExpr[] = [];
  for (const n of flattenAnd(node)) {
    const s = 'SubLink' in n ? n.SubLink : undefined;
    if (s && (s.subLinkType === 'EXISTS_SUBLINK' || (s.subLinkType === 'ANY_SUBLINK' && anyOperator(s) === '='))) {
      semiJoin(env, s);
      continue;
    }
    preds.push(bindCondition(env, n, 'WHERE'));
  }
  env.rel.plan = P.narrow(P.filter(env.rel.plan, preds), w);
}

function semiJoin(env: ExprEnv, s: SubLink): void {
  const before = env.rel.plan.schema.length;
  if (s.subLinkType === 'EXISTS_SUBLINK') {
    const sub = bindSub(env, s);
    attach(env, sub, P.distinct(P.project(sub.plan, P.range(sub.corr.length))), [], 'inner');
  } else {
    const x = bindExpr(env, s.testexpr!);
    const sub = bindSub(env, s);
    oneColumn(sub, s.location);
    const k = sub.corr.length;
    const w0 = env.rel.plan.schema.length;
    const cmp = bindOperator(env, '=', x, col(w0 + k, sub.columns[0]!.type), s.location);
    attach(env, sub, P.distinct(P.project(sub.plan, P.range(k + 1))), [cmp], 'inner');
  }
  env.rel.plan = P.narrow(env.rel.plan, before);
}
