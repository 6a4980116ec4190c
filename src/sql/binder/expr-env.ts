/**
 * ExprEnv: where an expression is bound. `scope` resolves names to columns of `rel.plan`;
 * subqueries may widen `rel.plan` by appending columns (they never change the existing
 * columns or the rows' multiplicities), and their value is then a column reference.
 */
import type { SubLink } from '@pgsql/types';
import type { AggregateExpr, LogicalPlan } from '../../plan/logical-plan.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import type { BindContext, CteBinding } from './bind-context.js';
import type { Scope } from './scope.js';
import type { GroupWindow } from './group-window.js';
import type { SrfCollector } from './set-returning.js';

/** Aggregates found while binding a select list or HAVING; each becomes placeholder column AGG_BASE - i. */
export interface AggCollector {
  aggs: AggregateExpr[];
  names: string[];
  byKey: Map<string, number>;
}

export const AGG_BASE = -1_000_000;
export const DEFER_BASE = -2_000_000;

export function aggPlaceholderIndex(e: ScalarExpr): number | undefined {
  if (e.kind !== 'Column' || e.index > AGG_BASE || e.index <= DEFER_BASE) return undefined;
  return AGG_BASE - e.index;
}

export function deferPlaceholderIndex(e: ScalarExpr): number | undefined {
  if (e.kind !== 'Column' || e.index > DEFER_BASE) return undefined;
  return DEFER_BASE - e.index;
}

/** How subqueries are handled in this clause. */
export type SubqueryMode =
  /** Join onto `rel.plan` now (WHERE, select list without GROUP BY). */
  | 'join'
  /** Grouped select list / HAVING: uncorrelated subqueries are joined after the Reduce. */
  | 'defer'
  | 'forbid';

export interface ExprEnv {
  ctx: BindContext;
  scope: Scope;
  rel: { plan: LogicalPlan };
  /** For error messages: "WHERE", "JOIN/ON", "select list"… */
  clause: string;
  aggs?: AggCollector;
  inAggregate?: boolean;
  subqueries: SubqueryMode;
  /** Deferred subqueries (mode 'defer'): bound plans waiting for the Reduce output. */
  deferred?: { node: SubLink; location: number | undefined }[];
  /** WITH queries visible to subqueries. */
  ctes?: CteBinding[];
  /** The column of each window function call of the select list and ORDER BY, by its AST node (window.ts). */
  windowCalls?: ReadonlyMap<object, ScalarExpr>;
  /** The window of `GROUP BY TUMBLE / HOP / SESSION(…)`, for TUMBLE_START(…) and the like (group-window.ts). */
  groupWindow?: GroupWindow;
  /** Set-returning calls of a select list without grouping (set-returning.ts); absent: none allowed. */
  srfs?: SrfCollector;
}

/** Source locations of bound column references (for 42803 positions). */
export const columnLocations = new WeakMap<ScalarExpr, number>();

export function childEnv(env: ExprEnv, patch: Partial<ExprEnv>): ExprEnv {
  return { ...env, ...patch };
}
