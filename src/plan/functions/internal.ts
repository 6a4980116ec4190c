/**
 * internal.ts owns the functions the planner inserts and SQL cannot name: they are
 * registered by id only (registry.getFunction), never by SQL name, so `resolveCall` does not
 * see them.
 *
 * - `error_if_multiple(count int8, value any) → value`: the value, or error 21000 when count
 *   > 1. The binder's one-row check of a scalar subquery (sql/binder/subquery.ts): count is
 *   the number of rows the subquery returned for the row's correlation key. Non-strict (a
 *   NULL count, from an outer join, passes the value through).
 * - `record_field(r record, i int4) → the field's type`: field i (0-based) of a record,
 *   `(r).name` in SQL (sql/binder/field-access.ts). Specialized by the result type
 *   (`record_field<int8>`); strict, so a NULL record gives NULL.
 */
import type { Datum, Record as SqlRecord } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T, type SqlType } from '../../types/sql-type.js';
import { ANY, fn, needsSpecialize, type Fn } from './define.js';
import { specializedId } from './type-key.js';

const RECORD: SqlType = { kind: 'record', fields: [] };

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
  fn('record_field', 'record_field', [RECORD, T.int4], ANY, needsSpecialize('record_field'), {
    specialize: ([type]) => recordField(type!),
  }),
];

/** The `record_field` overload returning `type`. */
export function recordField(type: SqlType): Fn {
  return fn(specializedId('record_field', [type]), 'record_field', [RECORD, T.int4], type, ([r, i]) => (r as SqlRecord).fields[i as number] ?? null);
}
