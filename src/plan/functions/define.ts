/**
 * define.ts owns the small vocabulary every family file uses to declare its functions: the
 * `Fn` record (a FunctionImpl plus the registry's extras), the `fn` builder, the polymorphic
 * argument markers and the shared errors (22003 out of range, 22012 division by zero).
 *
 * Polymorphic signatures. SqlType has no pseudo-types, so in a signature:
 *   - `ANY` (the `unknown` type) is a slot that accepts any type (Postgres "any");
 *   - `ANY_ARRAY` (an array of `unknown`) accepts any array (Postgres anyarray);
 *   - with `unify: true` every ANY slot and every ANY_ARRAY element must bind the same type
 *     (Postgres anyelement / anyarray).
 * A function whose eval needs the concrete argument types (concat formats each argument as text)
 * has `specialize(argTypes)`, which returns a concrete FunctionImpl whose id carries the types
 * (`concat<int4;text>`); registry.getFunction rebuilds it from that id.
 */
import type { Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { arrayOf, T, type SqlType } from '../../types/sql-type.js';
import type { EvalContext, FunctionImpl } from './function-impl.js';

export const ANY: SqlType = T.unknown;
export const ANY_ARRAY: SqlType = arrayOf(T.unknown);

export interface Fn extends FunctionImpl {
  /** Polymorphic slots must all bind one element type (anyelement), not each its own ("any"). */
  readonly unify?: boolean;
  /** ANY slots reject arrays (Postgres anynonarray). */
  readonly anyNonArray?: boolean;
  /** For functions whose eval needs the argument types: the concrete implementation. */
  readonly specialize?: (argTypes: readonly SqlType[]) => FunctionImpl;
}

export interface FnOptions {
  strict?: boolean;
  session?: boolean;
  variadic?: boolean;
  unify?: boolean;
  anyNonArray?: boolean;
  specialize?: (argTypes: readonly SqlType[]) => FunctionImpl;
}

export type EvalFn = (args: Datum[], ctx: EvalContext) => Datum;

/** Declares one overload. Strict (NULL in, NULL out) unless `opts.strict === false`. */
export function fn(
  id: string,
  sqlName: string,
  args: readonly SqlType[],
  returns: SqlType | ((args: readonly SqlType[]) => SqlType),
  evalFn: EvalFn,
  opts: FnOptions = {},
): Fn {
  return {
    id,
    sqlName,
    args,
    returns,
    strict: opts.strict ?? true,
    ...(opts.variadic ? { variadic: true } : {}),
    ...(opts.session ? { session: true } : {}),
    ...(opts.unify ? { unify: true } : {}),
    ...(opts.anyNonArray ? { anyNonArray: true } : {}),
    ...(opts.specialize ? { specialize: opts.specialize } : {}),
    eval: evalFn,
  };
}

/** The eval of a generic overload that must be specialized before use (a binder bug otherwise). */
export function needsSpecialize(id: string): EvalFn {
  return () => {
    throw new Error(`function ${id} must be specialized to its argument types (registry.specialize)`);
  };
}

export function isPolymorphic(t: SqlType): boolean {
  return t.kind === 'unknown' || (t.kind === 'array' && t.element.kind === 'unknown');
}

// ---- errors ----

export function outOfRange(what: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${what} out of range`);
}

export function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

export function invalidParameter(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

export const INT2_MIN = -32768;
export const INT2_MAX = 32767;
export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;

export function checkInt2(v: number): number {
  if (!(v >= INT2_MIN && v <= INT2_MAX)) throw outOfRange('smallint');
  return v;
}

export function checkInt4(v: number): number {
  if (!(v >= INT4_MIN && v <= INT4_MAX)) throw outOfRange('integer');
  return v;
}

export function checkInt8(v: bigint): bigint {
  if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) throw outOfRange('bigint');
  return v;
}

/** float8 results: an infinite result from finite inputs is an overflow (Postgres float_overflow_error). */
export function checkFloat8(r: number, ...inputs: number[]): number {
  if (!Number.isFinite(r) && !Number.isNaN(r) && inputs.every(Number.isFinite)) {
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  }
  return r;
}

/** float4 results are rounded to single precision, with overflow and underflow checks. */
export function checkFloat4(r: number, ...inputs: number[]): number {
  const f = Math.fround(r);
  if (!Number.isFinite(f) && !Number.isNaN(f) && inputs.every(Number.isFinite)) {
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  }
  if (f === 0 && r !== 0) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
  return f;
}
