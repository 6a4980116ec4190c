/** A query expression: WITH, then a set operation, VALUES, or a SELECT core. */
import type { SelectStmt } from '@pgsql/types';
import { SqlState } from '../../types/sql-error.js';
import { sqlError, type BindContext, type BoundQuery, type QueryEnv } from './bind-context.js';
import { strings } from './expr.js';
import { finishAsSubquery } from './query-shape.js';
import { bindSelectCore } from './select.js';
import { bindSetOp, bindValues } from './set-ops.js';

export function bindQueryExpr(ctx: BindContext, stmt: SelectStmt, qenv: QueryEnv): BoundQuery {
  let env = qenv;
  if (stmt.withClause) {
    if (stmt.withClause.recursive) throw sqlError(SqlState.featureNotSupported, 'WITH RECURSIVE is not supported yet', stmt.withClause.location);
    for (const n of stmt.withClause.ctes ?? []) {
      const cte = (n as { CommonTableExpr: import('@pgsql/types').CommonTableExpr }).CommonTableExpr;
      const inner = (cte.ctequery as { SelectStmt?: SelectStmt }).SelectStmt;
      if (!inner) throw sqlError(SqlState.featureNotSupported, 'data-modifying statements in WITH are not supported', cte.location);
      const q = ctx.bindQuery(inner, { ctes: env.ctes });
      const plan = finishAsSubquery(q);
      const aliases = strings(cte.aliascolnames);
      const columns = q.columns.map((c, i) => ({ name: aliases[i] ?? c.name, type: c.type }));
      env = { ...env, ctes: [...env.ctes, { name: cte.ctename ?? '', plan, columns }] };
    }
  }
  if (stmt.op && stmt.op !== 'SETOP_NONE') return bindSetOp(ctx, stmt, env);
  if (stmt.valuesLists) return bindValues(ctx, stmt, env);
  return bindSelectCore(ctx, stmt, env);
}
