/**
 * Set-returning functions in a select list (generate_series, unnest, _pg_expandarray,
 * generate_subscripts, jsonb_array_elements[_text], jsonb_object_keys,
 * regexp_split_to_table), with Postgres 10+'s semantics: each call is bound as an
 * array-valued expression (plan/functions/set-returning.ts; unnest's is its argument) and
 * collected; the call itself becomes a placeholder column. Once the select list and ORDER BY
 * are bound, `applySetReturning` puts one FlatMap over the query's rows, which outputs each
 * row once per element of the longest set, shorter sets padded with NULL, and the
 * placeholders become the FlatMap's columns. So `SELECT generate_series(1, 3),
 * unnest(ARRAY['a'])` gives (1, a), (2, NULL), (3, NULL), and `(_pg_expandarray(a)).n` reads a
 * field of the set's records.
 *
 * Not supported (0A000): set-returning functions nested in one another's arguments, in a
 * select list with GROUP BY or aggregates, and anywhere else (WHERE, JOIN … ON, GROUP BY…,
 * where Postgres does not allow them either).
 */
import type { FuncCall } from '@pgsql/types';
import { SET_RETURNING_NAMES } from '../../plan/functions/set-returning.js';
import type { LogicalPlan, SortKey } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { rewriteScalar, scalarKey } from '../../plan/scalar-util.js';
import { SqlState } from '../../types/sql-error.js';
import { typeName } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { resolveCall } from './overload.js';
import type { Target } from './targets.js';

/** The calls found in a select list; call k is placeholder column SRF_BASE + k until the FlatMap exists. */
export interface SrfCollector {
  exprs: ScalarExpr[];
  names: string[];
  byKey: Map<string, number>;
}

export const SRF_BASE = 3_000_000;

export function newSrfCollector(): SrfCollector {
  return { exprs: [], names: [], byKey: new Map() };
}

/** The set-returning function a call names, if any (`information_schema._pg_expandarray` included). */
export function setReturningName(name: string): string | undefined {
  const bare = name.startsWith('information_schema.') ? name.slice('information_schema.'.length) : name;
  return SET_RETURNING_NAMES.has(bare) ? bare : undefined;
}

export function bindSetReturningCall(env: ExprEnv, name: string, f: FuncCall): ScalarExpr {
  const loc = f.location;
  const srfs = env.srfs;
  if (!srfs) {
    if (env.inAggregate) throw sqlError(SqlState.featureNotSupported, 'aggregate function calls cannot contain set-returning function calls', loc);
    if (env.clause === 'select list') {
      throw sqlError(SqlState.featureNotSupported, 'set-returning functions in a select list with GROUP BY or aggregates are not supported yet', loc);
    }
    throw sqlError(SqlState.featureNotSupported, `set-returning functions are not allowed in ${env.clause}`, loc);
  }
  const argNodes = f.args ?? [];
  const args = argNodes.map((a) => bindExpr({ ...env, srfs: undefined, clause: 'arguments of a set-returning function' }, a));
  let set: ScalarExpr;
  if (name === 'unnest') {
    const a = args.length === 1 ? resolveUnknown(env.ctx, args[0]!) : args[0];
    if (args.length !== 1 || a!.type.kind !== 'array') {
      throw sqlError(SqlState.undefinedFunction, `function unnest(${args.map((x) => typeName(x.type)).join(', ')}) does not exist`, loc, {
        hint: 'unnest takes one array in a select list.',
      });
    }
    set = a!;
  } else {
    const r = resolveCall(env.ctx, name === 'regexp_split_to_table' ? 'regexp_split_to_array' : name, args, loc, { argLocations: argNodes.map(nodeLocation) });
    set = { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
  }
  if (set.type.kind !== 'array') throw new Error(`internal error: set-returning ${name} is not array-valued`);
  const key = scalarKey(set);
  let k = srfs.byKey.get(key);
  if (k === undefined) {
    k = srfs.exprs.length;
    srfs.exprs.push(set);
    srfs.names.push(name);
    srfs.byKey.set(key, k);
  }
  return { kind: 'Column', index: SRF_BASE + k, type: set.type.element, name };
}

/**
 * Puts the FlatMap of the collected calls over `env.rel.plan` and turns the placeholders in the
 * targets and sort keys into its columns. Without calls, changes nothing.
 */
export function applySetReturning(env: ExprEnv, srfs: SrfCollector, targets: Target[], order: { key: SortKey; output?: number }[]): void {
  if (srfs.exprs.length === 0) return;
  const base: LogicalPlan = env.rel.plan;
  const width = base.schema.length;
  env.rel.plan = P.flatMap(base, srfs.exprs, srfs.names);
  const fix = (e: ScalarExpr): ScalarExpr =>
    rewriteScalar(e, (x) => (x.kind === 'Column' && x.index >= SRF_BASE ? { ...x, index: width + x.index - SRF_BASE } : x));
  for (const t of targets) t.expr = fix(t.expr);
  for (const o of order) o.key = { ...o.key, expr: fix(o.key.expr) };
}
