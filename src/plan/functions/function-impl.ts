/**
 * A scalar function implementation: one overload, with exact argument types. The binder
 * resolves a call by name and argument types to one of these (inserting casts), and the
 * renderer compiles a Call into a direct call of `eval`.
 *
 * `eval` may throw a SqlError on bad data (division by zero, overflow): the operator that
 * evaluates it turns the error into data on the collection's error stream.
 */
import type { Datum } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';

export interface EvalContext {
  /** The statement's timestamp (now()), microseconds since the epoch. */
  readonly now: number;
  /** Session TimeZone for timestamptz text, e.g. "UTC". */
  readonly timeZone: string;
  /**
   * The reading session, for the catalog functions (catalog-functions.ts): absent where no
   * session evaluates (a materialized view's dataflow), where those functions raise 0A000.
   */
  readonly session?: SessionInfo;
}

/** What catalog and session functions (current_user, pg_get_viewdef…) read. */
export interface SessionInfo {
  readonly user: string;
  readonly database: string;
  readonly backendPid: number;
  readonly searchPath: readonly string[];
  /** pg_get_viewdef / pg_get_indexdef (column > 0: that column) / pg_get_constraintdef; null if no such object. */
  definition(what: 'view' | 'index' | 'constraint', oid: number, column?: number): string | null;
  /** A relation's name as regclass prints it (schema-qualified outside the search path); null if none. */
  relationName(oid: number): string | null;
  /** current_setting(name); undefined if the setting is unknown. */
  setting(name: string): string | undefined;
}

export interface FunctionImpl {
  /** Unique implementation name, used in plans: e.g. "int4_add", "lower", "text_concat". */
  readonly id: string;
  /** The SQL name(s) it answers to: "+", "lower", "||". */
  readonly sqlName: string;
  readonly args: readonly SqlType[];
  /** Variadic functions (concat, greatest…) accept any number of args of the last type. */
  readonly variadic?: boolean;
  /** The result type; a function of the argument types for polymorphic functions. */
  readonly returns: SqlType | ((args: readonly SqlType[]) => SqlType);
  /** Strict: any NULL argument gives NULL without calling eval (most functions). */
  readonly strict: boolean;
  /** Reads `EvalContext.session`: never constant-folded, and not usable in a materialized view. */
  readonly session?: boolean;
  eval(args: Datum[], ctx: EvalContext): Datum;
}
