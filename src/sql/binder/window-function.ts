/**
 * One window function call → a WindowCall (plan/window-call.ts): its arguments bound over the
 * window's input and its result type, as Postgres types them. row_number / rank / dense_rank
 * → bigint, percent_rank / cume_dist → double precision, ntile → integer; lag, lead,
 * first_value, last_value, nth_value → the value's type; the aggregates (count, sum, avg, min,
 * max, bool_and, bool_or, every) type as in a GROUP BY (aggregates.ts). Offsets and counts
 * (lag's offset, nth_value's n, ntile's buckets) must be constants here.
 */
import type { FuncCall, Node } from '@pgsql/types';
import { foldScalar } from '../../plan/rules/constant-fold.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import type { WindowCall, WindowFrame } from '../../plan/window-call.js';
import type { WindowFnName } from '../../types/function-names.js';
import { SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { aggregateCall } from './aggregates.js';
import { sqlError } from './bind-context.js';
import { coerce, resolveUnknown } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { AggCollector, ExprEnv } from './expr-env.js';

const RANKINGS: Record<string, SqlType> = {
  row_number: { kind: 'int8' },
  rank: { kind: 'int8' },
  dense_rank: { kind: 'int8' },
  percent_rank: { kind: 'float8' },
  cume_dist: { kind: 'float8' },
};

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every']);

export const WINDOW_FUNCTION_NAMES: ReadonlySet<string> = new Set([...Object.keys(RANKINGS), 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value', ...AGGREGATES]);

export function bindWindowCall(env: ExprEnv, name: string, f: FuncCall, frame: WindowFrame): WindowCall {
  const loc = f.location;
  const argNodes = f.args ?? [];
  const noSuch = (args: ScalarExpr[]): never => {
    throw sqlError(SqlState.undefinedFunction, `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`, loc, {
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  };
  if (f.agg_distinct) throw sqlError(SqlState.featureNotSupported, 'DISTINCT is not implemented for window functions', loc);
  if (f.agg_order) throw sqlError(SqlState.featureNotSupported, 'aggregate ORDER BY is not implemented for window functions', loc);
  const inner: ExprEnv = { ...env, clause: 'window function call', subqueries: 'forbid', aggs: undefined };
  const value = (i: number): ScalarExpr => resolveUnknown(env.ctx, bindExpr(inner, argNodes[i]!));
  if (f.agg_filter && !AGGREGATES.has(name)) {
    throw sqlError(SqlState.wrongObjectType, 'FILTER is not implemented for non-aggregate window functions', loc);
  }
  if (name in RANKINGS) {
    if (argNodes.length !== 0 || f.agg_star) noSuch(argNodes.map((_, i) => value(i)));
    return { fn: name as WindowFnName, args: [], frame, type: RANKINGS[name]! };
  }
  switch (name) {
    case 'ntile': {
      if (argNodes.length !== 1) noSuch(argNodes.map((_, i) => value(i)));
      const n = constantInt(env, argNodes[0]!, 'the argument of ntile');
      if (n <= 0) throw sqlError(SqlState.invalidArgumentForNtile, 'argument of ntile must be greater than zero', nodeLocation(argNodes[0]));
      return { fn: 'ntile', args: [], n, frame, type: { kind: 'int4' } };
    }
    case 'lag':
    case 'lead': {
      if (argNodes.length < 1 || argNodes.length > 3) noSuch(argNodes.map((_, i) => value(i)));
      const v = value(0);
      let n = argNodes.length > 1 ? constantInt(env, argNodes[1]!, `the offset of ${name}`) : 1;
      let fn: WindowFnName = name;
      if (n < 0) [fn, n] = [name === 'lag' ? 'lead' : 'lag', -n];
      const args = [v];
      if (argNodes.length > 2) args.push(coerce(env.ctx, bindExpr(inner, argNodes[2]!), v.type, 'implicit', nodeLocation(argNodes[2])));
      return { fn, args, n, frame, type: v.type };
    }
    case 'first_value':
    case 'last_value':
    case 'nth_value': {
      const arity = name === 'nth_value' ? 2 : 1;
      if (argNodes.length !== arity) noSuch(argNodes.map((_, i) => value(i)));
      const v = value(0);
      const call: WindowCall = { fn: name, args: [v], frame, type: v.type };
      if (name === 'nth_value') {
        call.n = constantInt(env, argNodes[1]!, 'the argument of nth_value');
        if (call.n <= 0) throw sqlError(SqlState.invalidArgumentForNthValue, 'argument of nth_value must be greater than zero', nodeLocation(argNodes[1]));
      }
      return call;
    }
    default:
      break;
  }
  if (!AGGREGATES.has(name)) {
    throw sqlError(SqlState.featureNotSupported, `window function ${name} is not supported yet`, loc, {
      hint: 'row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value, last_value, nth_value and the aggregates count, sum, avg, min, max, bool_and and bool_or are supported.',
    });
  }
  // Typed like a GROUP BY aggregate: collected into a scratch list, then read back.
  const aggs: AggCollector = { aggs: [], names: [], byKey: new Map() };
  aggregateCall({ ...inner, aggs, clause: 'window function call' }, name, { ...f, over: undefined });
  const agg = aggs.aggs[0]!;
  if (agg.fn !== 'count_star' && agg.fn !== 'count' && agg.fn !== 'sum' && agg.fn !== 'avg' && agg.fn !== 'min' && agg.fn !== 'max' && agg.fn !== 'bool_and' && agg.fn !== 'bool_or') {
    throw sqlError(SqlState.featureNotSupported, `window function ${name} is not supported yet`, loc);
  }
  if (agg.fn === 'avg' && agg.args[0]!.type.kind === 'interval') throw sqlError(SqlState.featureNotSupported, 'avg(interval) as a window function is not supported yet', loc);
  return { fn: agg.fn, args: agg.args, ...(agg.filter ? { filter: agg.filter } : {}), frame, type: agg.type };
}

function constantInt(env: ExprEnv, node: Node, what: string): number {
  const loc = nodeLocation(node);
  const e = foldScalar(coerce(env.ctx, bindExpr({ ...env, clause: what, subqueries: 'forbid', aggs: undefined }, node), { kind: 'int8' }, 'implicit', loc));
  if (e.kind !== 'Literal' || e.value === null) throw sqlError(SqlState.featureNotSupported, `${what} must be a non-null constant`, loc);
  return Number(e.value as bigint);
}
