/**
 * Scalar expressions: evaluated per row. A union on `kind`, handled exhaustively by the
 * printer (explain), the compiler (render/compile-scalar) and the rules.
 *
 * Column indexes refer to the input row of the plan node that holds the expression.
 * Function calls name an implementation in `plan/functions` (`fn`, e.g. "int4_add"); the
 * binder resolves overloads and inserts casts, so every Call's argument types match its
 * implementation's signature exactly.
 */
import type { Datum } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';

export type ScalarExpr =
  | { kind: 'Column'; index: number; type: SqlType; name?: string }
  | { kind: 'Literal'; value: Datum; type: SqlType }
  /** A `$n` statement parameter, 1-based; replaced by a Literal before execution. */
  | { kind: 'Param'; index: number; type: SqlType }
  | { kind: 'Call'; fn: string; args: ScalarExpr[]; type: SqlType }
  /**
   * A cast the registry has no Call for at bind time (see sql/binder/coerce.ts); evaluated
   * through `lookupCast`. `explicit`: written as `CAST(x AS t)` / `x::t`, so varchar(n) and
   * char(n) truncate instead of raising 22001, as in Postgres.
   */
  | { kind: 'Cast'; expr: ScalarExpr; type: SqlType; explicit?: boolean }
  /** Lazy boolean connectives with SQL three-valued logic. */
  | { kind: 'And'; args: ScalarExpr[]; type: SqlType }
  | { kind: 'Or'; args: ScalarExpr[]; type: SqlType }
  | { kind: 'Not'; arg: ScalarExpr; type: SqlType }
  | { kind: 'IsNull'; arg: ScalarExpr; type: SqlType }
  /** CASE WHEN c1 THEN r1 … ELSE e END (simple CASE is rewritten into this form). Lazy. */
  | { kind: 'Case'; whens: { cond: ScalarExpr; result: ScalarExpr }[]; else: ScalarExpr; type: SqlType }
  /** COALESCE(a, b, …): lazy, the first non-null. */
  | { kind: 'Coalesce'; args: ScalarExpr[]; type: SqlType }
  /**
   * Functions whose value depends on the statement, not the row: now(), current_timestamp…;
   * `proctime`: PROCTIME() / proctime(), the processing time: the wall-clock time of the tick
   * that processes the row (plan/processing-time.ts).
   */
  | { kind: 'Unmaterializable'; fn: 'now' | 'current_date' | 'mz_now' | 'proctime'; type: SqlType }
  /**
   * `ARRAY(SELECT body FROM unnest(array) x)`: `body` applied to each element, in order; a NULL
   * array gives '{}'. `body` is evaluated over a one-column row, the element (Column 0): it
   * has its own column space, so column rewrites and column sets do not look inside it.
   */
  | { kind: 'ArrayMap'; array: ScalarExpr; body: ScalarExpr; type: SqlType };

export type ScalarKind = ScalarExpr['kind'];

export const col = (index: number, type: SqlType, name?: string): ScalarExpr => ({ kind: 'Column', index, type, name });
export const lit = (value: Datum, type: SqlType): ScalarExpr => ({ kind: 'Literal', value, type });
