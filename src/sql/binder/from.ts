/**
 * FROM: range-table entries (tables, sources, views inlined from their SQL, CTE references,
 * subqueries, the window functions TUMBLE / HOP / CUMULATE / SESSION: window-tvf.ts) and joins (inner, left, right, full, cross, ON, USING, NATURAL; comma lists are
 * cross joins). Produces one plan and the scope items naming its columns.
 */
import type { JoinExpr, Node, RangeVar } from '@pgsql/types';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { and } from '../../plan/scalar-util.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext, type QueryEnv } from './bind-context.js';
import { bindCondition, bindOperator, strings } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { parseQuery } from './parse-sql.js';
import { finishAsSubquery } from './query-shape.js';
import { Scope, type ScopeItem } from './scope.js';
import { bindSeriesFunction } from './series-function.js';
import { bindFromFunction } from './from-function.js';
import { bindWindowTvf } from './window-tvf.js';
import { LOOKUP_FUNCTION } from '../parser/temporal-join-rewrite.js';

export interface FromResult {
  plan: LogicalPlan;
  items: ScopeItem[];
  /** `t FOR SYSTEM_TIME AS OF …` (rewritten by the parser to `__weir_lookup(t)`): the right side of a temporal join. */
  lookup?: boolean;
}

const ONE_EMPTY_ROW = (): LogicalPlan => P.constant([[]], []);

export function bindFrom(ctx: BindContext, nodes: Node[] | undefined, qenv: QueryEnv): FromResult {
  if (!nodes || nodes.length === 0) return { plan: ONE_EMPTY_ROW(), items: [] };
  let acc: FromResult | undefined;
  for (const n of nodes) {
    const r = bindFromItem(ctx, n, qenv);
    acc = acc ? crossJoin(acc, r) : r;
  }
  return acc!;
}

export function shiftItems(items: ScopeItem[], by: number): ScopeItem[] {
  return items.map((it) => ({ ...it, index: it.index + by }));
}

export function crossJoin(l: FromResult, r: FromResult): FromResult {
  const on: ScalarExpr = { kind: 'Literal', value: true, type: { kind: 'bool' } };
  return { plan: P.join('inner', l.plan, r.plan, on), items: [...l.items, ...shiftItems(r.items, l.plan.schema.length)] };
}

export function itemsFor(alias: string, plan: LogicalPlan, colnames: string[], location: number | undefined): ScopeItem[] {
  if (colnames.length > plan.schema.length) {
    throw sqlError(SqlState.invalidColumnReference, `table "${alias}" has ${plan.schema.length} columns available but ${colnames.length} columns specified`, location);
  }
  return plan.schema.map((c, i) => ({ table: alias, name: colnames[i] ?? c.name, index: i, type: c.type }));
}

function bindFromItem(ctx: BindContext, n: Node, qenv: QueryEnv): FromResult {
  if ('RangeVar' in n) return bindRangeVar(ctx, n.RangeVar, qenv);
  if ('RangeSubselect' in n) {
    const rs = n.RangeSubselect;
    if (rs.lateral) throw sqlError(SqlState.featureNotSupported, 'LATERAL subqueries are not supported yet', undefined);
    const stmt = (rs.subquery as { SelectStmt: import('@pgsql/types').SelectStmt }).SelectStmt;
    const q = ctx.bindQuery(stmt, { ctes: qenv.ctes });
    const plan = finishAsSubquery(q);
    const alias = rs.alias?.aliasname ?? 'unnamed_subquery';
    return { plan, items: itemsFor(alias, plan, strings(rs.alias?.colnames), undefined) };
  }
  if ('JoinExpr' in n) return bindJoin(ctx, n.JoinExpr, qenv);
  if ('RangeFunction' in n) {
    const lookup = bindLookupRelation(ctx, n.RangeFunction, qenv);
    if (lookup) return lookup;
    const window = bindWindowTvf(ctx, n.RangeFunction, qenv, bindRangeVar, itemsFor);
    if (window) return window;
    const series = bindSeriesFunction(ctx, n.RangeFunction);
    if (series) return series;
    const fn = bindFromFunction(ctx, n.RangeFunction, qenv);
    if (fn) return fn;
  }
  const kind = Object.keys(n)[0];
  throw sqlError(SqlState.featureNotSupported, `${kind === 'RangeFunction' ? 'functions in FROM' : kind} are not supported yet`, (Object.values(n)[0] as { location?: number }).location);
}

/** `__weir_lookup(t) [alias]`: the relation t, marked as a temporal join's lookup side. */
function bindLookupRelation(ctx: BindContext, rf: import('@pgsql/types').RangeFunction, qenv: QueryEnv): FromResult | undefined {
  const call = (rf.functions?.[0] as { List?: { items?: Node[] } } | undefined)?.List?.items?.[0] as { FuncCall?: import('@pgsql/types').FuncCall } | undefined;
  const fc = call?.FuncCall;
  if (!fc || strings(fc.funcname).join('.') !== LOOKUP_FUNCTION) return undefined;
  const names = strings((fc.args?.[0] as { ColumnRef?: { fields?: Node[] } } | undefined)?.ColumnRef?.fields);
  const rv: RangeVar = {
    relname: names[names.length - 1],
    ...(names.length > 1 ? { schemaname: names[0] } : {}),
    ...(rf.alias ? { alias: rf.alias } : {}),
    location: fc.location,
  };
  return { ...bindRangeVar(ctx, rv, qenv), lookup: true };
}

function bindRangeVar(ctx: BindContext, rv: RangeVar, qenv: QueryEnv): FromResult {
  const name = rv.relname ?? '';
  const alias = rv.alias?.aliasname ?? name;
  const colnames = strings(rv.alias?.colnames);
  if (!rv.schemaname) {
    const cte = [...qenv.ctes].reverse().find((c) => c.name === name);
    if (cte) {
      const plan = cte.plan;
      return { plan, items: itemsFor(alias, plan, colnames.length ? colnames : cte.columns.map((c) => c.name), rv.location) };
    }
  }
  const rel = ctx.catalog.getRelation(rv.schemaname, name);
  if (!rel) {
    const shown = rv.schemaname ? `${rv.schemaname}.${name}` : name;
    if (ctx.catalog.isUnsupportedSystemRelation?.(rv.schemaname, name)) {
      throw sqlError(SqlState.featureNotSupported, `system relation "${shown}" is not supported`, rv.location, {
        hint: 'weir has pg_class, pg_attribute, pg_type, pg_namespace, pg_index, pg_constraint and the information_schema tables, columns, views and schemata, among others.',
      });
    }
    throw sqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`, rv.location);
  }
  let plan: LogicalPlan;
  if (rel.kind === 'view') {
    if (ctx.viewStack.includes(rel.id) || ctx.viewStack.length > 32) {
      throw sqlError(SqlState.invalidTableDefinition, `infinite recursion detected in view "${rel.name}"`, rv.location);
    }
    if (!rel.viewSql) throw new Error(`binder: view ${rel.name} has no SQL`);
    ctx.viewStack.push(rel.id);
    try {
      const q = ctx.bindQuery(parseQuery(rel.viewSql), { ctes: [] });
      plan = finishAsSubquery(q);
      plan = P.project(plan, P.range(rel.columns.length), rel.columns.map((c) => c.name));
    } finally {
      ctx.viewStack.pop();
    }
  } else {
    plan = P.get(rel.id, `${rel.schemaName}.${rel.name}`, rel.columns);
  }
  return { plan, items: itemsFor(alias, plan, colnames, rv.location) };
}

function bindJoin(ctx: BindContext, j: JoinExpr, qenv: QueryEnv): FromResult {
  const l = bindFromItem(ctx, j.larg!, qenv);
  const r = bindFromItem(ctx, j.rarg!, qenv);
  const kind = j.jointype === 'JOIN_LEFT' ? 'left' : j.jointype === 'JOIN_RIGHT' ? 'right' : j.jointype === 'JOIN_FULL' ? 'full' : j.jointype === 'JOIN_INNER' ? 'inner' : undefined;
  if (!kind) throw sqlError(SqlState.featureNotSupported, `join type ${j.jointype} is not supported`, undefined);
  if (r.lookup && kind !== 'inner' && kind !== 'left') {
    throw sqlError(SqlState.featureNotSupported, `${kind} temporal joins are not supported`, undefined, { hint: 'A temporal join is an inner or left join with the table FOR SYSTEM_TIME AS OF on the right.' });
  }
  if (l.lookup) {
    throw sqlError(SqlState.featureNotSupported, 'the table FOR SYSTEM_TIME AS OF must be the right side of its join', undefined);
  }
  const lw = l.plan.schema.length;
  const rItems = shiftItems(r.items, lw);
  const both = [...l.items, ...rItems];
  const probe = P.join(kind, l.plan, r.plan, { kind: 'Literal', value: true, type: { kind: 'bool' } });
  let using = strings(j.usingClause);
  if (j.isNatural) {
    const rnames = new Set(r.items.filter((i) => !i.qualifiedOnly).map((i) => i.name));
    using = [...new Set(l.items.filter((i) => !i.qualifiedOnly && rnames.has(i.name)).map((i) => i.name))];
  }
  let result: FromResult;
  if (using.length > 0 || j.isNatural) {
    result = joinUsing(ctx, kind, l, r, rItems, using, probe);
  } else {
    const env: ExprEnv = { ctx, scope: new Scope(both), rel: { plan: probe }, clause: 'JOIN/ON', subqueries: 'forbid' };
    const on = j.quals ? bindCondition(env, j.quals) : ({ kind: 'Literal', value: true, type: { kind: 'bool' } } as ScalarExpr);
    result = { plan: P.join(kind, l.plan, r.plan, on), items: both };
  }
  if (r.lookup) result = { ...result, plan: markLookup(result.plan) };
  if (j.alias?.aliasname) {
    const alias = j.alias.aliasname;
    const names = strings(j.alias.colnames);
    const visible = result.items.filter((i) => !i.notInStar);
    result = { plan: result.plan, items: visible.map((it, k) => ({ table: alias, name: names[k] ?? it.name, index: it.index, type: it.type })) };
  }
  return result;
}

/** Marks the join at the top of a bound join (under USING's Map/Project) as a temporal join. */
function markLookup(p: LogicalPlan): LogicalPlan {
  if (p.kind === 'Join') return { ...p, lookup: true };
  if (p.kind === 'Map' || p.kind === 'Project') return { ...p, input: markLookup(p.input) };
  return p;
}

function joinUsing(
  ctx: BindContext,
  kind: 'inner' | 'left' | 'right' | 'full',
  l: FromResult,
  r: FromResult,
  rItems: ScopeItem[],
  using: string[],
  probe: LogicalPlan,
): FromResult {
  const env: ExprEnv = { ctx, scope: new Scope([]), rel: { plan: probe }, clause: 'JOIN/USING', subqueries: 'forbid' };
  const find = (items: ScopeItem[], name: string, side: string): ScopeItem => {
    const m = items.filter((i) => i.name === name && !i.qualifiedOnly);
    if (m.length === 0) throw sqlError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist in ${side} table`, undefined);
    if (m.length > 1) throw sqlError(SqlState.ambiguousColumn, `common column name "${name}" appears more than once in ${side} table`, undefined);
    return m[0]!;
  };
  const pairs = using.map((name) => ({ name, li: find(l.items, name, 'left'), ri: find(rItems, name, 'right') }));
  const eqs = pairs.map((p) =>
    bindOperator(env, '=', { kind: 'Column', index: p.li.index, type: p.li.type }, { kind: 'Column', index: p.ri.index, type: p.ri.type }, undefined),
  );
  let plan: LogicalPlan = P.join(kind, l.plan, r.plan, and(eqs));
  const width = plan.schema.length;
  const merged: ScopeItem[] = [];
  const mapped: ScalarExpr[] = [];
  for (const p of pairs) {
    const eq = eqs[pairs.indexOf(p)]!;
    const [lc, rc] = eq.kind === 'Call' ? eq.args : [];
    if (kind === 'full') {
      mapped.push({ kind: 'Coalesce', args: [lc!, rc!], type: lc!.type });
      merged.push({ name: p.name, index: width + mapped.length - 1, type: lc!.type });
    } else {
      const src = kind === 'right' ? p.ri : p.li;
      merged.push({ name: p.name, index: src.index, type: src.type });
    }
  }
  plan = P.map(plan, mapped, pairs.filter(() => kind === 'full').map((p) => p.name));
  const usingNames = new Set(using);
  const hide = (it: ScopeItem): ScopeItem => (usingNames.has(it.name) && !it.qualifiedOnly ? { ...it, qualifiedOnly: true, notInStar: true } : it);
  return { plan, items: [...merged, ...l.items.map(hide), ...rItems.map(hide)] };
}
