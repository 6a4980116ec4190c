/**
 * Aggregates. While a grouped query's select list and HAVING are bound (over the FROM
 * plan), each aggregate call is collected into an AggregateExpr (arguments over the Reduce
 * input) and replaced by a placeholder column. `groupRewrite` then maps the expression onto
 * the Reduce output: sub-expressions equal to a GROUP BY expression become that key column,
 * placeholders become aggregate columns, and any other column reference is 42803.
 *
 * Result types follow Postgres: count → bigint; sum(int2/int4) → bigint, sum(int8/numeric)
 * → numeric, sum(float4) → real, sum(float8) → double precision; avg(integer or numeric) →
 * numeric, avg(float) → double precision; min/max keep the type. RisingWave's aggregates
 * first_value / last_value(x ORDER BY y) keep x's type.
 */
import type { FuncCall } from '@pgsql/types';
import type { AggregateExpr, SortKey } from '../../plan/logical-plan.js';
import type { AggregateName } from '../../types/function-names.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { scalarKey } from '../../plan/scalar-util.js';
import { SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { coerce, resolveUnknown } from './coerce.js';
import { bindCondition, bindExpr, nodeLocation } from './expr.js';
import { AGG_BASE, aggPlaceholderIndex, columnLocations, deferPlaceholderIndex, type ExprEnv } from './expr-env.js';
import { foldScalar } from '../../plan/rules/constant-fold.js';
import { bindSortBy } from './sort.js';

const NAMES = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'string_agg', 'array_agg', 'jsonb_agg', 'approx_percentile', 'first_value', 'last_value']);

export function isAggregateName(name: string): boolean {
  return NAMES.has(name);
}

const T = (kind: 'int8' | 'numeric' | 'float4' | 'float8' | 'bool' | 'text' | 'jsonb' | 'interval'): SqlType => ({ kind });

function resultType(fn: AggregateName, args: ScalarExpr[], name: string, loc: number | undefined): SqlType {
  const t = args[0]?.type;
  const fail = (): never => {
    throw sqlError(SqlState.undefinedFunction, `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`, loc, {
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  };
  switch (fn) {
    case 'count_star':
    case 'count':
      return T('int8');
    case 'sum':
      switch (t?.kind) {
        case 'int2': case 'int4': return T('int8');
        case 'int8': case 'numeric': return T('numeric');
        case 'float4': return T('float4');
        case 'float8': return T('float8');
        case 'interval': return T('interval');
        default: return fail();
      }
    case 'avg':
      switch (t?.kind) {
        case 'int2': case 'int4': case 'int8': case 'numeric': return T('numeric');
        case 'float4': case 'float8': return T('float8');
        case 'interval': return T('interval');
        default: return fail();
      }
    case 'min':
    case 'max':
      if (!t || t.kind === 'json' || t.kind === 'record' || t.kind === 'unknown') return fail();
      return t.kind === 'varchar' || t.kind === 'char' ? T('text') : t;
    case 'bool_and':
    case 'bool_or':
      return T('bool');
    case 'string_agg':
      return t?.kind === 'bytea' ? t : T('text');
    case 'array_agg':
      return { kind: 'array', element: t! };
    case 'jsonb_agg':
      return T('jsonb');
    case 'approx_percentile':
      return T('float8');
    case 'first_value':
    case 'last_value':
      if (!t || t.kind === 'unknown') return fail();
      return t;
  }
}

export function aggregateCall(env: ExprEnv, name: string, f: FuncCall): ScalarExpr {
  const loc = f.location;
  if (!env.aggs) throw sqlError(SqlState.groupingError, `aggregate functions are not allowed in ${env.clause}`, loc);
  if (env.inAggregate) throw sqlError(SqlState.groupingError, 'aggregate function calls cannot be nested', loc);
  const inner: ExprEnv = { ...env, inAggregate: true, subqueries: 'forbid' };
  if (name === 'approx_percentile') return collect(env, name, approxPercentile(env, inner, f));
  if ((name === 'first_value' || name === 'last_value') && !f.agg_order) {
    throw sqlError(SqlState.featureNotSupported, `${name} as an aggregate needs ORDER BY inside the call`, loc, {
      hint: `Write ${name}(x ORDER BY y), or use it as a window function.`,
    });
  }
  const argNodes = f.args ?? [];
  let args = argNodes.map((a) => resolveUnknown(env.ctx, bindExpr(inner, a)));
  let fn: AggregateName;
  if (name === 'count') fn = f.agg_star ? 'count_star' : 'count';
  else if (name === 'every') fn = 'bool_and';
  else fn = name as AggregateName;
  const arity = fn === 'count_star' ? 0 : fn === 'string_agg' ? 2 : 1;
  if (args.length !== arity) {
    throw sqlError(SqlState.undefinedFunction, `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`, loc);
  }
  if (fn === 'bool_and' || fn === 'bool_or') args = [coerce(env.ctx, args[0]!, T('bool'), 'implicit', nodeLocation(argNodes[0]))];
  if (fn === 'string_agg' && args[0]!.type.kind !== 'bytea') args = args.map((a, i) => coerce(env.ctx, a, T('text'), 'implicit', nodeLocation(argNodes[i])));
  if (fn === 'min' || fn === 'max') {
    if (args[0]!.type.kind === 'varchar' || args[0]!.type.kind === 'char') args = [coerce(env.ctx, args[0]!, T('text'), 'implicit')];
  }
  const type = resultType(fn, args, name, loc);
  const agg: AggregateExpr = { fn, args, distinct: !!f.agg_distinct, type };
  if (f.agg_filter) agg.filter = bindCondition(inner, f.agg_filter, 'FILTER');
  if (f.agg_order) agg.orderBy = f.agg_order.map((s) => bindSortBy(inner, s));
  return collect(env, name, agg);
}

/** Adds the aggregate to the query's list (once per distinct call) and returns its placeholder. */
function collect(env: ExprEnv, name: string, agg: AggregateExpr): ScalarExpr {
  const aggs = env.aggs!;
  const key = JSON.stringify([agg.fn, agg.args.map(scalarKey), agg.distinct, agg.filter && scalarKey(agg.filter), agg.orderBy?.map(sortKeyText)]);
  let i = aggs.byKey.get(key);
  if (i === undefined) {
    i = aggs.aggs.length;
    aggs.aggs.push(agg);
    aggs.names.push(name);
    aggs.byKey.set(key, i);
  }
  return { kind: 'Column', index: AGG_BASE - i, type: agg.type, name };
}

/**
 * RisingWave's `approx_percentile(fraction [, relative_error]) WITHIN GROUP (ORDER BY x)`:
 * constant fraction in [0, 1] (22003 otherwise, as Postgres's percentile_disc), relative error
 * in (0, 1) (default 0.01); x numeric-like, as float8. Computed exactly (percentile_disc), so
 * the error is always met. Arguments: [x::float8, fraction].
 */
function approxPercentile(env: ExprEnv, inner: ExprEnv, f: FuncCall): AggregateExpr {
  const loc = f.location;
  const direct = f.args ?? [];
  if (!f.agg_within_group || f.agg_order?.length !== 1 || direct.length < 1 || direct.length > 2 || f.agg_distinct) {
    throw sqlError(SqlState.undefinedFunction, 'approx_percentile takes (fraction [, relative_error]) WITHIN GROUP (ORDER BY value)', loc);
  }
  const constant = (i: number): number => {
    const e = foldScalar(coerce(env.ctx, resolveUnknown(env.ctx, bindExpr(inner, direct[i]!)), T('float8'), 'implicit', nodeLocation(direct[i])));
    if (e.kind !== 'Literal' || typeof e.value !== 'number') {
      throw sqlError(SqlState.featureNotSupported, 'the arguments of approx_percentile must be constants', nodeLocation(direct[i]));
    }
    return e.value;
  };
  const fraction = constant(0);
  if (!(fraction >= 0 && fraction <= 1)) throw sqlError(SqlState.numericValueOutOfRange, `percentile value ${fraction} is not between 0 and 1`, loc);
  if (direct.length === 2) {
    const error = constant(1);
    if (!(error > 0 && error < 1)) throw sqlError(SqlState.invalidParameterValue, `relative error ${error} is not between 0 and 1`, loc);
  }
  const sort = bindSortBy(inner, f.agg_order[0]!);
  const value = coerce(env.ctx, sort.expr, T('float8'), 'implicit', loc);
  const agg: AggregateExpr = {
    fn: 'approx_percentile',
    args: [value, { kind: 'Literal', value: fraction, type: T('float8') }],
    distinct: false,
    orderBy: [{ ...sort, expr: value }],
    type: T('float8'),
  };
  if (f.agg_filter) agg.filter = bindCondition(inner, f.agg_filter, 'FILTER');
  return agg;
}

function sortKeyText(k: SortKey): string {
  return `${scalarKey(k.expr)}${k.desc ? ' desc' : ''}${k.nullsFirst ? ' nf' : ''}`;
}

/**
 * Maps an expression over the Reduce input to one over the Reduce output
 * (keys ++ aggregates ++ deferred subquery columns).
 */
export function groupRewrite(
  e: ScalarExpr,
  keys: ScalarExpr[],
  deferredColumn: (i: number) => number,
): ScalarExpr {
  const keyIndex = new Map(keys.map((k, i) => [scalarKey(k), i] as const));
  const nKeys = keys.length;
  const go = (x: ScalarExpr): ScalarExpr => {
    const agg = aggPlaceholderIndex(x);
    if (agg !== undefined) return { kind: 'Column', index: nKeys + agg, type: x.type, name: x.kind === 'Column' ? x.name : undefined };
    const def = deferPlaceholderIndex(x);
    if (def !== undefined) return { kind: 'Column', index: deferredColumn(def), type: x.type };
    const k = keyIndex.get(scalarKey(x));
    if (k !== undefined) return { kind: 'Column', index: k, type: x.type, name: x.kind === 'Column' ? x.name : undefined };
    switch (x.kind) {
      case 'Column': {
        const shown = x.name ?? `#${x.index}`;
        throw sqlError(SqlState.groupingError, `column "${shown}" must appear in the GROUP BY clause or be used in an aggregate function`, columnLocations.get(x));
      }
      case 'Literal':
      case 'Param':
      case 'Unmaterializable':
        return x;
      case 'Call':
      case 'And':
      case 'Or':
      case 'Coalesce':
        return { ...x, args: x.args.map(go) };
      case 'Cast':
        return { ...x, expr: go(x.expr) };
      case 'Not':
      case 'IsNull':
        return { ...x, arg: go(x.arg) };
      case 'Case':
        return { ...x, whens: x.whens.map((w) => ({ cond: go(w.cond), result: go(w.result) })), else: go(x.else) };
      case 'ArrayMap':
        return { ...x, array: go(x.array) };
    }
  };
  return go(e);
}
