/**
 * catalog-functions.ts owns the functions clients call in their catalog queries (psql's \d,
 * drivers' start-up probes): the session's identity (current_user, current_database(),
 * current_schema(s), version(), pg_backend_pid(), current_setting), object definitions
 * (pg_get_viewdef, pg_get_indexdef, pg_get_constraintdef, pg_get_expr), type names
 * (format_type) and the answers weir gives by design:
 *
 * - regclass_name(oid): what `oid::regclass::text` prints (the binder's reg-casts.ts calls it);
 * - privileges: has_*_privilege and pg_has_role are true (weir has no privileges: every user
 *   may do everything);
 * - visibility: pg_table_is_visible / pg_type_is_visible / pg_function_is_visible are true (one schema, public, plus
 *   pg_catalog, both on the search path);
 * - comments: obj_description / col_description / shobj_description are NULL (no COMMENT ON);
 * - sizes: pg_table_size, pg_relation_size, pg_total_relation_size, pg_indexes_size, pg_database_size are NULL
 *   (unknown: weir keeps every relation in one LevelDB and does not account bytes per relation);
 *   pg_size_pretty formats a size as Postgres does;
 * - no catalog functions (pg_proc is empty), rules, statistics objects, partitions or
 *   publications: pg_get_function_result / _arguments / _identity_arguments, pg_get_ruledef,
 *   pg_get_statisticsobjdef_columns, pg_get_partkeydef are NULL, pg_relation_is_publishable false.
 *
 * Functions marked `session` read `EvalContext.session` (the adapter's `sessionInfo`); they are
 * never constant-folded, and inside a materialized view's dataflow, where no session
 * evaluates, they raise 0A000.
 */
import type { Datum } from '../../types/datum.js';
import { typeOfOidWithModifier } from '../../types/pg-oid.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T, arrayOf, typeName, type SqlType } from '../../types/sql-type.js';
import { fn, type Fn } from './define.js';
import type { EvalContext, SessionInfo } from './function-impl.js';

function session(ctx: EvalContext, name: string): SessionInfo {
  if (!ctx.session) throw new SqlError(SqlState.featureNotSupported, `${name}() is not supported in a materialized view`);
  return ctx.session;
}

/** A function of the session: `session: true`, non-strict where Postgres's is. */
function sessionFn(id: string, name: string, args: readonly SqlType[], returns: SqlType, f: (s: SessionInfo, a: Datum[]) => Datum, strict = true): Fn {
  return fn(id, name, args, returns, (a, ctx) => f(session(ctx, name), a), { session: true, strict });
}

/** Names format_type prints for the OIDs that are not weir types of their own. */
const OTHER_TYPE_NAMES: Record<number, string> = { 19: 'name', 18: '"char"', 2205: 'regclass', 2206: 'regtype', 22: 'int2vector', 30: 'oidvector' };

export function formatType(oid: number, typmod: number | null): string {
  const t = typeOfOidWithModifier(oid, typmod ?? -1);
  if (OTHER_TYPE_NAMES[oid]) return OTHER_TYPE_NAMES[oid]!;
  return t ? typeName(t) : '???';
}

const ENCODINGS: Record<number, string> = { 0: 'SQL_ASCII', 6: 'UTF8' };

/** Every combination of text / oid for the object arguments of a has_*_privilege overload. */
function privilegeOverloads(name: string, objectArgs: number): Fn[] {
  const out: Fn[] = [];
  for (const withUser of [false, true]) {
    const n = objectArgs + (withUser ? 1 : 0);
    for (let mask = 0; mask < 1 << n; mask++) {
      const args: SqlType[] = [];
      for (let i = 0; i < n; i++) args.push(mask & (1 << i) ? (i === n - 1 && objectArgs === 2 && name === 'has_column_privilege' ? T.int2 : T.oid) : T.text);
      const id = `${name}_${args.map((a) => a.kind).join('_')}_text`;
      if (out.some((f) => f.id === id)) continue;
      out.push(fn(id, name, [...args, T.text], T.bool, () => true));
    }
  }
  return out;
}

const nullFn = (id: string, name: string, args: readonly SqlType[], returns: SqlType = T.text): Fn =>
  fn(id, name, args, returns, () => null, { strict: false });

/** pg_size_pretty: bytes below 10 kB, else the largest unit under 20 of the next, half rounded. */
export function sizePretty(bytes: bigint): string {
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const halfRounded = (x: bigint) => (x + (x < 0n ? -1n : 1n)) / 2n;
  if (abs(bytes) < 10240n) return `${bytes} bytes`;
  let size = bytes / 512n;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  for (let i = 0; i < units.length; i++) {
    if (abs(size) < 20479n || i === units.length - 1) return `${halfRounded(size)} ${units[i]}`;
    size = size / 1024n;
  }
  return `${bytes} bytes`;
}

export const CATALOG_FUNCTIONS: readonly Fn[] = [
  fn('pg_size_pretty', 'pg_size_pretty', [T.int8], T.text, ([b]) => sizePretty(b as bigint)),
  nullFn('pg_table_size', 'pg_table_size', [T.oid], T.int8),
  nullFn('pg_relation_size', 'pg_relation_size', [T.oid], T.int8),
  nullFn('pg_total_relation_size', 'pg_total_relation_size', [T.oid], T.int8),
  nullFn('pg_indexes_size', 'pg_indexes_size', [T.oid], T.int8),
  nullFn('pg_database_size', 'pg_database_size', [T.text], T.int8),
  nullFn('pg_database_size_oid', 'pg_database_size', [T.oid], T.int8),
  fn('format_type', 'format_type', [T.oid, T.int4], T.text, ([oid, mod]) => (oid === null ? null : formatType(oid as number, mod as number | null)), { strict: false }),
  sessionFn('regclass_name', 'regclass_name', [T.oid], T.text, (s, [oid]) => s.relationName(oid as number) ?? String(oid)),
  sessionFn('pg_get_userbyid', 'pg_get_userbyid', [T.oid], T.text, (s, [oid]) => (oid === 10 ? s.user : `unknown (OID=${oid})`)),
  fn('pg_table_is_visible', 'pg_table_is_visible', [T.oid], T.bool, () => true),
  fn('pg_type_is_visible', 'pg_type_is_visible', [T.oid], T.bool, () => true),
  fn('pg_function_is_visible', 'pg_function_is_visible', [T.oid], T.bool, () => true),
  fn('pg_get_expr', 'pg_get_expr', [T.text, T.oid], T.text, ([e]) => e!),
  fn('pg_get_expr_pretty', 'pg_get_expr', [T.text, T.oid, T.bool], T.text, ([e]) => e!),
  sessionFn('pg_get_viewdef', 'pg_get_viewdef', [T.oid], T.text, (s, [oid]) => s.definition('view', oid as number)),
  sessionFn('pg_get_viewdef_pretty', 'pg_get_viewdef', [T.oid, T.bool], T.text, (s, [oid]) => s.definition('view', oid as number)),
  sessionFn('pg_get_viewdef_wrap', 'pg_get_viewdef', [T.oid, T.int4], T.text, (s, [oid]) => s.definition('view', oid as number)),
  sessionFn('pg_get_indexdef', 'pg_get_indexdef', [T.oid], T.text, (s, [oid]) => s.definition('index', oid as number)),
  sessionFn('pg_get_indexdef_column', 'pg_get_indexdef', [T.oid, T.int4, T.bool], T.text, (s, [oid, col]) => s.definition('index', oid as number, col as number)),
  sessionFn('pg_get_constraintdef', 'pg_get_constraintdef', [T.oid], T.text, (s, [oid]) => s.definition('constraint', oid as number)),
  sessionFn('pg_get_constraintdef_pretty', 'pg_get_constraintdef', [T.oid, T.bool], T.text, (s, [oid]) => s.definition('constraint', oid as number)),
  nullFn('pg_get_ruledef', 'pg_get_ruledef', [T.oid]),
  nullFn('pg_get_ruledef_pretty', 'pg_get_ruledef', [T.oid, T.bool]),
  nullFn('pg_get_statisticsobjdef_columns', 'pg_get_statisticsobjdef_columns', [T.oid]),
  nullFn('pg_get_partkeydef', 'pg_get_partkeydef', [T.oid]),
  nullFn('pg_get_function_result', 'pg_get_function_result', [T.oid]),
  nullFn('pg_get_function_arguments', 'pg_get_function_arguments', [T.oid]),
  nullFn('pg_get_function_identity_arguments', 'pg_get_function_identity_arguments', [T.oid]),
  nullFn('pg_get_partition_constraintdef', 'pg_get_partition_constraintdef', [T.oid]),
  nullFn('obj_description', 'obj_description', [T.oid]),
  nullFn('obj_description_catalog', 'obj_description', [T.oid, T.text]),
  nullFn('col_description', 'col_description', [T.oid, T.int4]),
  nullFn('shobj_description', 'shobj_description', [T.oid, T.text]),
  fn('pg_relation_is_publishable', 'pg_relation_is_publishable', [T.oid], T.bool, () => false),
  fn('pg_encoding_to_char', 'pg_encoding_to_char', [T.int4], T.text, ([e]) => ENCODINGS[e as number] ?? ''),
  fn('pg_is_in_recovery', 'pg_is_in_recovery', [], T.bool, () => false),
  sessionFn('pg_backend_pid', 'pg_backend_pid', [], T.int4, (s) => s.backendPid),
  sessionFn('current_database', 'current_database', [], T.text, (s) => s.database),
  sessionFn('current_catalog', 'current_catalog', [], T.text, (s) => s.database),
  sessionFn('current_user', 'current_user', [], T.text, (s) => s.user),
  sessionFn('session_user', 'session_user', [], T.text, (s) => s.user),
  sessionFn('current_role', 'current_role', [], T.text, (s) => s.user),
  sessionFn('current_schema', 'current_schema', [], T.text, (s) => s.searchPath.find((p) => p === 'public') ?? s.searchPath[0] ?? null),
  sessionFn('current_schemas', 'current_schemas', [T.bool], arrayOf(T.text), (s, [implicit]) => [
    ...(implicit ? ['pg_catalog'] : []),
    ...s.searchPath.filter((p) => p === 'public' || p === 'pg_catalog'),
  ]),
  sessionFn('version', 'version', [], T.text, (s) => `PostgreSQL ${s.setting('server_version') ?? ''}, a streaming SQL database`),
  sessionFn('current_setting', 'current_setting', [T.text], T.text, (s, [name]) => {
    const v = s.setting(name as string);
    if (v === undefined) throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
    return v;
  }),
  sessionFn('current_setting_missing_ok', 'current_setting', [T.text, T.bool], T.text, (s, [name, missingOk]) => {
    const v = s.setting(name as string);
    if (v === undefined && !missingOk) throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
    return v ?? null;
  }),
  ...privilegeOverloads('has_table_privilege', 1),
  ...privilegeOverloads('has_schema_privilege', 1),
  ...privilegeOverloads('has_database_privilege', 1),
  ...privilegeOverloads('has_function_privilege', 1),
  ...privilegeOverloads('has_any_column_privilege', 1),
  ...privilegeOverloads('has_column_privilege', 2),
  ...privilegeOverloads('pg_has_role', 1),
];
