/**
 * LIMIT / OFFSET / FETCH FIRST: integer constants (or NULL / ALL = no limit), or a `$n`
 * parameter (typed bigint) at the top level of a statement, resolved when it executes.
 */
import type { Node, SelectStmt } from '@pgsql/types';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext } from './bind-context.js';
import { nodeLocation } from './expr.js';

export interface BoundLimit {
  limit: number | null;
  offset: number;
  /** `$n` given as the limit / offset (1-based parameter index). */
  limitParam?: number;
  offsetParam?: number;
}

function paramIndex(ctx: BindContext, n: Node | undefined): number | undefined {
  if (!n) return undefined;
  if ('TypeCast' in n) return paramIndex(ctx, n.TypeCast.arg);
  if (!('ParamRef' in n)) return undefined;
  const i = n.ParamRef.number ?? 0;
  if (i < 1) throw sqlError(SqlState.undefinedParameter, `there is no parameter $${i}`, n.ParamRef.location);
  ctx.maxParam = Math.max(ctx.maxParam, i);
  ctx.params[i - 1] ??= { kind: 'int8' };
  return i;
}

function constInt(n: Node | undefined, what: string): number | null {
  if (!n) return null;
  if ('A_Const' in n) {
    const c = n.A_Const;
    if (c.isnull) return null;
    let v: number | undefined;
    if (c.ival !== undefined) v = c.ival.ival ?? 0;
    else if (c.fval !== undefined && /^\d+$/.test(c.fval.fval ?? '')) v = Number(c.fval.fval);
    if (v !== undefined) {
      if (v < 0) throw sqlError(what === 'LIMIT' ? '2201W' : '2201X', `${what} must not be negative`, c.location);
      return v;
    }
  }
  if ('TypeCast' in n) return constInt(n.TypeCast.arg, what);
  throw sqlError(SqlState.featureNotSupported, `${what} must be an integer constant`, nodeLocation(n));
}

export function bindLimit(ctx: BindContext, stmt: SelectStmt): BoundLimit {
  if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') throw sqlError(SqlState.featureNotSupported, 'FETCH FIRST … WITH TIES is not supported yet', undefined);
  const limitParam = paramIndex(ctx, stmt.limitCount);
  const offsetParam = paramIndex(ctx, stmt.limitOffset);
  return {
    limit: limitParam !== undefined ? null : constInt(stmt.limitCount, 'LIMIT'),
    offset: offsetParam !== undefined ? 0 : (constInt(stmt.limitOffset, 'OFFSET') ?? 0),
    limitParam,
    offsetParam,
  };
}
