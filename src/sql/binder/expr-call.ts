/**
 * Function calls: aggregates (collected into the query's AggCollector and replaced by a
 * placeholder column, see aggregates.ts), window function calls (their column, bound by window.ts),
 * TUMBLE_START(…) / SESSION_END(…) and the like (the group window's bounds, group-window.ts), the
 * statement-constant functions (now(), current_timestamp…), PROCTIME() (the processing time,
 * plan/processing-time.ts) and ordinary functions through overload resolution. SQL-syntax
 * forms arrive already rewritten by the parser: EXTRACT → extract(field, x),
 * SUBSTRING(x FROM a FOR b) → substring(x, a, b), POSITION(a IN b) → position(b, a),
 * TRIM(BOTH c FROM x) → btrim(x, c).
 */
import type { FuncCall, SQLValueFunction } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { aggregateCall, isAggregateName } from './aggregates.js';
import { bindSqlFunctionCall } from './sql-function.js';
import { bindExpr, nodeLocation, strings } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { functionExists, resolveCall } from './overload.js';
import { bindGroupWindowCall } from './group-window.js';
import { bindSetReturningCall, setReturningName } from './set-returning.js';

export function funcName(f: FuncCall): string {
  const names = strings(f.funcname).map((s) => s.toLowerCase());
  return names.length > 1 && names[0] === 'pg_catalog' ? names[names.length - 1]! : names.join('.');
}

/** Alternative registry names tried when the SQL name has no overloads. */
const ALIASES: Record<string, string[]> = {
  extract: ['date_part'],
  date_part: ['extract'],
  substring: ['substr'],
  substr: ['substring'],
  position: ['strpos'],
  char_length: ['length'],
  character_length: ['length'],
};

export function bindCall(env: ExprEnv, f: FuncCall): ScalarExpr {
  const name = funcName(f);
  const loc = f.location;
  if (f.over) {
    const bound = env.windowCalls?.get(f);
    if (bound) return bound;
    if (env.aggs) throw sqlError(SqlState.featureNotSupported, 'window functions in a query with GROUP BY or aggregates are not supported yet', loc);
    throw sqlError(SqlState.windowingError, `window functions are not allowed in ${env.clause}`, loc);
  }
  const windowBound = bindGroupWindowCall(env, name, f);
  if (windowBound) return windowBound;
  if (isAggregateName(name)) return aggregateCall(env, name, f);
  const srf = setReturningName(name);
  if (srf) return bindSetReturningCall(env, srf, f);
  if (f.agg_distinct || f.agg_star || f.agg_order || f.agg_filter) {
    throw sqlError(SqlState.wrongObjectType, `${f.agg_star ? `${name}(*)` : name} specified, but ${name} is not an aggregate function`, loc);
  }
  const argNodes = f.args ?? [];
  if (name === 'now' && argNodes.length === 0) return { kind: 'Unmaterializable', fn: 'now', type: { kind: 'timestamptz' } };
  if (name === 'mz_now' && argNodes.length === 0) return { kind: 'Unmaterializable', fn: 'mz_now', type: { kind: 'timestamptz' } };
  // Flink's PROCTIME() and RisingWave's proctime(): the processing time (plan/processing-time.ts).
  if (name === 'proctime' && argNodes.length === 0) return { kind: 'Unmaterializable', fn: 'proctime', type: { kind: 'timestamptz' } };
  const args = argNodes.map((a) => bindExpr(env, a));
  const argLocations = argNodes.map(nodeLocation);
  const names = functionExists(name) ? [name] : [name, ...(ALIASES[name] ?? [])].filter(functionExists);
  if (names.length === 0) {
    const qualified = (f.funcname ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
    const udf = env.ctx.catalog.getFunction?.(qualified.length > 1 ? qualified[0] : undefined, name);
    if (udf && udf.params.length === args.length) return bindSqlFunctionCall(env, udf, args, loc);
  }
  const r = resolveCall(env.ctx, names[0] ?? name, args, loc, { argLocations });
  return { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
}

export function bindSqlValueFunction(v: SQLValueFunction): ScalarExpr {
  switch (v.op) {
    case 'SVFOP_CURRENT_TIMESTAMP':
    case 'SVFOP_CURRENT_TIMESTAMP_N':
      return { kind: 'Unmaterializable', fn: 'now', type: { kind: 'timestamptz' } };
    case 'SVFOP_CURRENT_DATE':
      return { kind: 'Unmaterializable', fn: 'current_date', type: { kind: 'date' } };
    case 'SVFOP_CURRENT_USER':
    case 'SVFOP_USER':
    case 'SVFOP_CURRENT_ROLE':
      return { kind: 'Call', fn: 'current_user', args: [], type: { kind: 'text' } };
    case 'SVFOP_SESSION_USER':
      return { kind: 'Call', fn: 'session_user', args: [], type: { kind: 'text' } };
    case 'SVFOP_CURRENT_CATALOG':
      return { kind: 'Call', fn: 'current_database', args: [], type: { kind: 'text' } };
    case 'SVFOP_CURRENT_SCHEMA':
      return { kind: 'Call', fn: 'current_schema', args: [], type: { kind: 'text' } };
    default:
      throw sqlError(SqlState.featureNotSupported, `${(v.op ?? '').replace('SVFOP_', '').toLowerCase()} is not supported yet`, v.location);
  }
}
