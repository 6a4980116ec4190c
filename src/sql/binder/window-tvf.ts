/**
 * The window table functions in FROM (RisingWave's spelling; the parser rewrites Flink's
 * `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), …))` into it, see sql/parser/window-tvf-rewrite.ts):
 *
 *   TUMBLE(rel, ts, size [, offset])
 *   HOP(rel, ts, slide, size [, offset])
 *   CUMULATE(rel, ts, step, size [, offset])
 *   SESSION(rel, ts, gap [, partition_column …])
 *
 * `rel` names a table, source, view or WITH query; `ts` is one of its timestamp or timestamptz
 * columns. The result has every column of rel, then window_start and window_end (ts's type),
 * all qualified by the alias (`TUMBLE(…) AS w`, else the relation's name) and part of `*`.
 * The plans are in window-plan.ts.
 */
import type { FuncCall, Node, RangeFunction, RangeVar } from '@pgsql/types';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext, type QueryEnv } from './bind-context.js';
import { bindExpr, nodeLocation, strings } from './expr.js';
import { funcName } from './expr-call.js';
import type { ExprEnv } from './expr-env.js';
import { Scope, type ScopeItem } from './scope.js';
import { bindWindowParams, checkTimeColumn, WINDOW_FNS, windowPlan, windowSignature, type WindowFn } from './window-plan.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';

export interface WindowTvfResult {
  plan: LogicalPlan;
  items: ScopeItem[];
}

type BindRelation = (ctx: BindContext, rv: RangeVar, qenv: QueryEnv) => WindowTvfResult;
type NameItems = (alias: string, plan: LogicalPlan, colnames: string[], location: number | undefined) => ScopeItem[];

/** Binds `rf` when it is a window table function; undefined for any other function in FROM. */
export function bindWindowTvf(ctx: BindContext, rf: RangeFunction, qenv: QueryEnv, bindRelation: BindRelation, nameItems: NameItems): WindowTvfResult | undefined {
  const first = rf.functions?.[0];
  const call = first && 'List' in first ? first.List.items?.[0] : undefined;
  if (!call || !('FuncCall' in call) || (rf.functions?.length ?? 0) !== 1) return undefined;
  const f: FuncCall = call.FuncCall;
  const fn = funcName(f);
  if (!WINDOW_FNS.has(fn)) return undefined;
  const wfn = fn as WindowFn;
  const loc = f.location;
  if (rf.lateral || rf.ordinality || rf.is_rowsfrom) {
    throw sqlError(SqlState.featureNotSupported, `LATERAL, WITH ORDINALITY and ROWS FROM are not supported with ${fn.toUpperCase()}`, loc);
  }
  const args = f.args ?? [];
  if (args.length < 3) throw sqlError(SqlState.undefinedFunction, `wrong number of arguments to ${fn.toUpperCase()}`, loc, { hint: `The call is ${windowSignature(wfn, 'from')}.` });

  // The relation, named by its first argument.
  const relNode = args[0]!;
  const relNames = 'ColumnRef' in relNode ? strings(relNode.ColumnRef.fields) : [];
  if (relNames.length === 0 || relNames.length > 2 || relNames.some((n) => n === '')) {
    throw sqlError(SqlState.syntaxError, `the first argument of ${fn.toUpperCase()} must name a table, source, view or WITH query`, nodeLocation(relNode));
  }
  const relname = relNames[relNames.length - 1]!;
  const rv: RangeVar = { relname, inh: true, relpersistence: 'p', location: nodeLocation(relNode) };
  if (relNames.length === 2) rv.schemaname = relNames[0];
  const rel = bindRelation(ctx, rv, qenv);

  // The time column, then the window's constant parameters.
  const env: ExprEnv = { ctx, scope: new Scope(rel.items), rel: { plan: rel.plan }, clause: fn.toUpperCase(), subqueries: 'forbid' };
  const timeNode = args[1]!;
  const time = bindExpr(env, timeNode);
  if (time.kind !== 'Column') {
    throw sqlError(SqlState.featureNotSupported, `the time argument of ${fn.toUpperCase()} must be a column of its relation`, nodeLocation(timeNode));
  }
  checkTimeColumn(wfn, time, nodeLocation(timeNode));
  const { params, used } = bindWindowParams(env, wfn, args.slice(2), 'from', loc);
  const partition = args.slice(2 + used).map((n) => {
    const e = bindExpr(env, n);
    if (e.kind !== 'Column') throw sqlError(SqlState.featureNotSupported, 'the partition arguments of SESSION must be columns of its relation', nodeLocation(n));
    return e;
  });

  const { plan } = windowPlan(rel.plan, time, params, partition);
  const alias = rf.alias?.aliasname ?? relname;
  const names = [...rel.items.map((i) => i.name), 'window_start', 'window_end'];
  const given = strings(rf.alias?.colnames);
  return { plan, items: nameItems(alias, plan, given.length > names.length ? given : names.map((n, i) => given[i] ?? n), loc) };
}
