/** LIMIT / OFFSET / FETCH FIRST: integer constants (or NULL / ALL = no limit). */
import type { Node, SelectStmt } from '@pgsql/types';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext } from './bind-context.js';
import { nodeLocation } from './expr.js';

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

export function bindLimit(_ctx: BindContext, stmt: SelectStmt): { limit: number | null; offset: number } {
  if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') throw sqlError(SqlState.featureNotSupported, 'FETCH FIRST … WITH TIES is not supported yet', undefined);
  return { limit: constInt(stmt.limitCount, 'LIMIT'), offset: constInt(stmt.limitOffset, 'OFFSET') ?? 0 };
}
