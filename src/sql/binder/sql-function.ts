/**
 * SQL functions (`CREATE FUNCTION f(a int, b text) RETURNS int LANGUAGE SQL AS $$SELECT …$$`),
 * inlined where they are called: the body's one expression is bound over the parameters (by
 * name), each parameter reference becomes the call's argument (cast to the parameter's type),
 * and the result is cast to the return type. A view over a call therefore keeps no function
 * call at all: its plan is the body's expression, maintained like any other.
 *
 * The body must be `SELECT <expr>` (no FROM, WHERE, …) or `RETURN <expr>`; parameters are
 * referenced by name ($1 is 0A000). Builtin functions win over a user function of the same
 * name, as pg_catalog comes first on Postgres's search path.
 */
import type { Node } from '@pgsql/types';
import { substituteColumns } from '../../plan/scalar-util.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { CatalogFunction } from '../catalog-reader.js';
import { sqlError } from './bind-context.js';
import { coerce, resolveUnknown } from './coerce.js';
import { bindExpr } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { parseQuery } from './parse-sql.js';
import { Scope } from './scope.js';

/** The expression of a function body: `SELECT <expr>` or `RETURN <expr>` (as libpg-query parses it). */
export function functionBodyExpr(body: string): Node {
  const trimmed = body.trim().replace(/;\s*$/, '');
  const text = /^return\b/i.test(trimmed) ? `SELECT ${trimmed.slice(6)}` : trimmed;
  let q;
  try {
    q = parseQuery(text);
  } catch {
    throw new SqlError(SqlState.featureNotSupported, 'a SQL function body must be one SELECT of an expression');
  }
  const t = q.targetList ?? [];
  const clauses = q.fromClause ?? q.whereClause ?? q.groupClause ?? q.havingClause ?? q.sortClause ?? q.limitCount ?? q.distinctClause ?? q.valuesLists ?? q.withClause;
  if (t.length !== 1 || !('ResTarget' in t[0]!) || !t[0].ResTarget.val || clauses !== undefined || (q.op !== undefined && q.op !== 'SETOP_NONE')) {
    throw new SqlError(SqlState.featureNotSupported, 'a SQL function body must be one SELECT of an expression', {
      detail: 'weir inlines SQL functions: SELECT <expression> without FROM, or RETURN <expression>.',
    });
  }
  if (JSON.stringify(t[0].ResTarget.val).includes('"ParamRef"')) {
    throw new SqlError(SqlState.featureNotSupported, 'a SQL function body must name its parameters ($n is not supported)');
  }
  return t[0].ResTarget.val;
}

/** `f(args)` for a user function: its body with the arguments in place of the parameters. */
export function bindSqlFunctionCall(env: ExprEnv, fn: CatalogFunction, args: ScalarExpr[], location: number | undefined): ScalarExpr {
  const cast = args.map((a, i) => coerce(env.ctx, a, fn.params[i]!.type, 'implicit', location));
  const items = fn.params.flatMap((p, i) => (p.name ? [{ table: fn.name, name: p.name, index: i, type: p.type }] : []));
  const bodyEnv: ExprEnv = { ...env, scope: new Scope(items), clause: `function ${fn.name}`, subqueries: 'forbid', aggs: undefined, windowCalls: undefined };
  let body: ScalarExpr;
  try {
    body = bindExpr(bodyEnv, functionBodyExpr(fn.body));
  } catch (e) {
    if (e instanceof SqlError) throw sqlError(e.code, `in function ${fn.name}: ${e.message}`, location);
    throw e;
  }
  const inlined = substituteColumns(body, (i) => cast[i]!);
  return coerce(env.ctx, resolveUnknown(env.ctx, inlined), fn.returns, 'assignment', location);
}
