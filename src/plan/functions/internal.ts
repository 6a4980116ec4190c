/**
 * internal.ts owns the functions the planner inserts and SQL cannot name: they are
 * registered by id only (registry.getFunction), never by SQL name, so `resolveCall` does not
 * see them.
 *
 * - `error_if_multiple(count int8, value any) → value`: the value, or error 21000 when count
 *   > 1. The binder's one-row check of a scalar subquery (sql/binder/subquery.ts): count is
 *   the number of rows the subquery returned for the row's correlation key. Non-strict (a
 *   NULL count, from an outer join, passes the value through).
 */
import type { Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import { ANY, fn, type Fn } from './define.js';

export function cardinalityViolation(): SqlError {
  return new SqlError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
}

export const INTERNAL_FUNCTIONS: readonly Fn[] = [
  fn(
    'error_if_multiple',
    'error_if_multiple',
    [T.int8, ANY],
    (args) => args[1]!,
    ([count, value]): Datum => {
      if (count !== null && count !== undefined && Number(count) > 1) throw cardinalityViolation();
      return value ?? null;
    },
    { strict: false },
  ),
];
