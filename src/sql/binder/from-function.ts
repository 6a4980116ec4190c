/**
 * Set-returning functions in FROM: `FROM unnest(a) AS u(x)`, `FROM generate_series(1,
 * array_upper(current_schemas(false), 1)) AS s(r)` (pgjdbc's type lookups), `FROM
 * jsonb_array_elements(j)`, `FROM _pg_expandarray(a)`. The call is bound like one in a select
 * list (set-returning.ts) over a one-row relation and flat-mapped: one row per element. A
 * function returning scalars gives one column, named by the alias's column list, else the
 * alias, else the function; one returning records (_pg_expandarray) gives a column per field.
 * (Constant integer generate_series is series-function.ts's Constant relation.) A scalar
 * function in FROM is a relation of one row.
 *
 * Not supported (0A000): arguments that refer to other FROM items (LATERAL), WITH
 * ORDINALITY, ROWS FROM (…) and several functions in one item.
 */
import type { FuncCall, RangeFunction } from '@pgsql/types';
import { recordField } from '../../plan/functions/internal.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import { sqlError, type BindContext, type QueryEnv } from './bind-context.js';
import { bindExpr, strings } from './expr.js';
import { resolveUnknown } from './coerce.js';
import { functionExists } from './overload.js';
import { funcName } from './expr-call.js';
import type { ExprEnv } from './expr-env.js';
import type { FromResult } from './from.js';
import { Scope } from './scope.js';
import { bindSetReturningCall, newSrfCollector, setReturningName } from './set-returning.js';

const INT4: SqlType = { kind: 'int4' };

export function bindFromFunction(ctx: BindContext, rf: RangeFunction, qenv: QueryEnv): FromResult | undefined {
  const first = rf.functions?.[0];
  const call = first && 'List' in first ? first.List.items?.[0] : undefined;
  if (!call || !('FuncCall' in call)) return undefined;
  const f: FuncCall = call.FuncCall;
  const name = setReturningName(funcName(f));
  if (!name) return functionExists(funcName(f)) ? bindScalarFromFunction(ctx, rf, f) : undefined;
  const loc = f.location;
  if ((rf.functions?.length ?? 0) !== 1 || rf.is_rowsfrom) throw sqlError(SqlState.featureNotSupported, 'ROWS FROM (…) is not supported yet', loc);
  if (rf.ordinality) throw sqlError(SqlState.featureNotSupported, `${name} … WITH ORDINALITY is not supported yet`, loc);
  const srfs = newSrfCollector();
  const unit = P.constant([[]], []);
  const env: ExprEnv = { ctx, scope: new Scope([]), rel: { plan: unit }, clause: 'FROM', subqueries: 'forbid', srfs, ctes: qenv.ctes };
  try {
    bindSetReturningCall(env, name, f);
  } catch (e) {
    if (SqlError.is(e) && (e.code === SqlState.undefinedColumn || e.code === SqlState.undefinedTable)) {
      throw sqlError(SqlState.featureNotSupported, `${name} in FROM cannot refer to other FROM items yet (LATERAL)`, loc, { detail: e.message });
    }
    throw e;
  }
  let plan: LogicalPlan = P.flatMap(unit, srfs.exprs, srfs.names);
  const element = plan.schema[0]!.type;
  const alias = rf.alias?.aliasname ?? name;
  const colnames = strings(rf.alias?.colnames);
  if (element.kind === 'record') {
    const column: ScalarExpr = { kind: 'Column', index: 0, type: element };
    const fields = element.fields.map((fd, i): ScalarExpr => ({ kind: 'Call', fn: recordField(fd.type).id, args: [column, { kind: 'Literal', value: i, type: INT4 }], type: fd.type }));
    const names = element.fields.map((fd, i) => colnames[i] ?? fd.name);
    plan = P.project(P.map(plan, fields, names), fields.map((_, i) => i + 1));
    return { plan, items: names.map((n, i) => ({ table: alias, name: n, index: i, type: element.fields[i]!.type })) };
  }
  const col = colnames[0] ?? alias;
  plan = P.project(plan, [0], [col]);
  return { plan, items: [{ table: alias, name: col, index: 0, type: element }] };
}

/** A scalar function in FROM (Grafana's `string_to_array(current_setting('search_path'), ',') s`): one row, one column. */
function bindScalarFromFunction(ctx: BindContext, rf: RangeFunction, f: FuncCall): FromResult {
  const name = funcName(f);
  if ((rf.functions?.length ?? 0) !== 1 || rf.is_rowsfrom || rf.ordinality) {
    throw sqlError(SqlState.featureNotSupported, `${name} in FROM is supported without ROWS FROM and WITH ORDINALITY only`, f.location);
  }
  const unit = P.constant([[]], []);
  const env: ExprEnv = { ctx, scope: new Scope([]), rel: { plan: unit }, clause: 'FROM', subqueries: 'forbid' };
  let value: ScalarExpr;
  try {
    value = resolveUnknown(ctx, bindExpr(env, { FuncCall: f }));
  } catch (e) {
    if (SqlError.is(e) && (e.code === SqlState.undefinedColumn || e.code === SqlState.undefinedTable)) {
      throw sqlError(SqlState.featureNotSupported, `${name} in FROM cannot refer to other FROM items yet (LATERAL)`, f.location, { detail: e.message });
    }
    throw e;
  }
  const alias = rf.alias?.aliasname ?? name.split('.').pop()!;
  const col = strings(rf.alias?.colnames)[0] ?? alias;
  const plan = P.project(P.map(unit, [value], [col]), [0]);
  return { plan, items: [{ table: alias, name: col, index: 0, type: value.type }] };
}
