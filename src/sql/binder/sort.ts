/** SortBy nodes → SortKey (Postgres's defaults: ASC NULLS LAST, DESC NULLS FIRST). */
import type { Node, SortBy } from '@pgsql/types';
import type { SortKey } from '../../plan/logical-plan.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr } from './expr.js';
import type { ExprEnv } from './expr-env.js';

export function sortDirection(s: SortBy): { desc: boolean; nullsFirst: boolean } {
  if (s.sortby_dir === 'SORTBY_USING') throw sqlError(SqlState.featureNotSupported, 'ORDER BY USING is not supported', s.location);
  const desc = s.sortby_dir === 'SORTBY_DESC';
  const nullsFirst = s.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : s.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc;
  return { desc, nullsFirst };
}

export function bindSortBy(env: ExprEnv, node: Node): SortKey {
  const s = (node as { SortBy: SortBy }).SortBy;
  const expr: ScalarExpr = resolveUnknown(env.ctx, bindExpr(env, s.node!));
  return { expr, ...sortDirection(s) };
}
