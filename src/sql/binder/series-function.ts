/**
 * `generate_series(start, stop [, step])` in FROM over constant integers: the series as a
 * constant relation of one column (int4, or int8 when an argument is int8), named after the
 * alias's column list, else the alias, else `generate_series` (Postgres's naming). It is what
 * Nexmark's q13 fills its side table with: `INSERT INTO side_input SELECT v, v::varchar FROM
 * generate_series(0, 999) AS s(v)`. A zero step is 22023, as in Postgres; more than a million
 * rows is 54000. Other arguments (timestamps, expressions that are not constant) are left to
 * from-function.ts (undefined).
 */
import type { FuncCall, RangeFunction } from '@pgsql/types';
import * as P from '../../plan/plan-builders.js';
import { foldScalar } from '../../plan/rules/constant-fold.js';
import type { Row } from '../../types/datum.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import { sqlError, type BindContext } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr, strings } from './expr.js';
import { funcName } from './expr-call.js';
import type { ExprEnv } from './expr-env.js';
import type { FromResult } from './from.js';
import { Scope } from './scope.js';

const MAX_ROWS = 1_000_000;

export function bindSeriesFunction(ctx: BindContext, rf: RangeFunction): FromResult | undefined {
  const first = rf.functions?.[0];
  const call = first && 'List' in first ? first.List.items?.[0] : undefined;
  if (!call || !('FuncCall' in call) || (rf.functions?.length ?? 0) !== 1) return undefined;
  const f: FuncCall = call.FuncCall;
  if (funcName(f) !== 'generate_series') return undefined;
  const loc = f.location;
  const args = f.args ?? [];
  if (rf.lateral || rf.ordinality || rf.is_rowsfrom || args.length < 2 || args.length > 3) return undefined;
  const env: ExprEnv = { ctx, scope: new Scope([]), rel: { plan: P.constant([[]], []) }, clause: 'generate_series', subqueries: 'forbid' };
  let int8 = false;
  const folded: ScalarExpr[] = [];
  for (const n of args) {
    let e: ScalarExpr;
    try {
      e = foldScalar(resolveUnknown(ctx, bindExpr(env, n)));
    } catch {
      return undefined; // column references and the like: from-function.ts says why
    }
    const k = e.type.kind;
    if (e.kind !== 'Literal' || (k !== 'int2' && k !== 'int4' && k !== 'int8')) return undefined;
    if (k === 'int8') int8 = true;
    folded.push(e);
  }
  const values = folded.map((e) => (e.kind === 'Literal' && e.value !== null ? BigInt(e.value as number | bigint) : null));
  const type: SqlType = int8 ? { kind: 'int8' } : { kind: 'int4' };
  const rows: Row[] = [];
  if (!values.includes(null)) {
    const [start, stop, step = 1n] = values as bigint[];
    if (step === 0n) throw sqlError(SqlState.invalidParameterValue, 'step size cannot equal zero', loc);
    for (let v = start!; step > 0n ? v <= stop! : v >= stop!; v += step) {
      if (rows.length >= MAX_ROWS) throw sqlError(SqlState.programLimitExceeded, `generate_series in FROM is limited to ${MAX_ROWS} rows`, loc);
      rows.push([int8 ? v : Number(v)]);
    }
  }
  const alias = rf.alias?.aliasname ?? 'generate_series';
  const name = strings(rf.alias?.colnames)[0] ?? alias;
  const plan = P.constant(rows, [{ name, type, nullable: false }]);
  return { plan, items: [{ table: alias, name, index: 0, type }] };
}
