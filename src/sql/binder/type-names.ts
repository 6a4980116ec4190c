/**
 * SQL type names → SqlType (`resolveTypeName`, used by casts here and by DDL in the adapter;
 * `resolveTypeExpr` for the column types of weir's streaming DDL, STRUCT<…> included), and
 * Postgres's type categories and preferred types, used by overload resolution and by the
 * unification of UNION / CASE / VALUES branches.
 */
import type { Node, TypeName } from '@pgsql/types';
import { parseSync } from 'libpg-query';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import type { TypeExpr } from '../ast/weir-ast.js';
import { sqlError } from './bind-context.js';
import type { CatalogReader } from '../catalog-reader.js';

const BASE: Record<string, SqlType> = {
  bool: { kind: 'bool' }, boolean: { kind: 'bool' },
  int2: { kind: 'int2' }, smallint: { kind: 'int2' },
  int4: { kind: 'int4' }, int: { kind: 'int4' }, integer: { kind: 'int4' },
  int8: { kind: 'int8' }, bigint: { kind: 'int8' },
  float4: { kind: 'float4' }, real: { kind: 'float4' },
  float8: { kind: 'float8' }, 'double precision': { kind: 'float8' }, float: { kind: 'float8' },
  double: { kind: 'float8' }, // RisingWave's spelling of double precision
  numeric: { kind: 'numeric' }, decimal: { kind: 'numeric' },
  text: { kind: 'text' }, string: { kind: 'text' },
  varchar: { kind: 'varchar' }, 'character varying': { kind: 'varchar' },
  bpchar: { kind: 'char' }, char: { kind: 'char' }, character: { kind: 'char' },
  bytea: { kind: 'bytea' },
  date: { kind: 'date' },
  time: { kind: 'time' }, 'time without time zone': { kind: 'time' },
  timestamp: { kind: 'timestamp' }, 'timestamp without time zone': { kind: 'timestamp' },
  timestamptz: { kind: 'timestamptz' }, 'timestamp with time zone': { kind: 'timestamptz' },
  interval: { kind: 'interval' },
  json: { kind: 'json' }, jsonb: { kind: 'jsonb' },
  uuid: { kind: 'uuid' }, oid: { kind: 'oid' },
  record: { kind: 'record', fields: [] },
  unknown: { kind: 'unknown' },
};

function intMod(n: Node | undefined): number | undefined {
  if (n && 'A_Const' in n) {
    const c = n.A_Const;
    if (c.ival !== undefined) return c.ival.ival ?? 0;
  }
  return undefined;
}

/** Resolves a parsed type name (`TypeName` node) to a SqlType; 42704 for unknown names. */
export function resolveTypeName(tn: TypeName, catalog?: CatalogReader): SqlType {
  const names = (tn.names ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
  const last = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[0] : undefined;
  let t: SqlType | undefined = schema === undefined || schema === 'pg_catalog' ? BASE[last.toLowerCase()] : undefined;
  if (!t && catalog?.getType) t = catalog.getType(last);
  if (!t) throw sqlError(SqlState.undefinedObject, `type "${names.join('.')}" does not exist`, tn.location);
  const mods = (tn.typmods ?? []).map(intMod);
  if (t.kind === 'numeric' && mods.length > 0) {
    const precision = mods[0];
    const scale = mods[1] ?? 0;
    if (precision === undefined || precision < 1 || precision > 1000) {
      throw sqlError(SqlState.invalidParameterValue, `NUMERIC precision ${precision} must be between 1 and 1000`, tn.location);
    }
    t = { kind: 'numeric', precision, scale };
  } else if ((t.kind === 'varchar' || t.kind === 'char') && mods.length > 0) {
    t = { kind: t.kind, length: mods[0] };
  } else if (t.kind === 'char' && last.toLowerCase() !== 'bpchar') {
    t = { kind: 'char', length: 1 };
  } else if (last.toLowerCase() === 'float' && mods.length > 0 && (mods[0] ?? 53) <= 24) {
    t = { kind: 'float4' };
  }
  let out: SqlType = t!;
  for (let i = 0; i < (tn.arrayBounds?.length ?? 0); i++) out = { kind: 'array', element: out };
  return out;
}

/**
 * A column type of weir's DDL → SqlType. A named type is resolved like a cast target (its
 * text parsed as `NULL::<text>`); `STRUCT<name type, …>` is a record, `[]` an array. 42704 for
 * unknown names, 42601 for text that is not a type, 42701 for a repeated field name.
 */
export function resolveTypeExpr(t: TypeExpr, catalog?: CatalogReader): SqlType {
  if (t.kind === 'named') return resolveTypeName(parseTypeText(t.text), catalog);
  const seen = new Set<string>();
  const fields = t.fields.map((f) => {
    if (seen.has(f.name.toLowerCase())) throw new SqlError(SqlState.duplicateColumn, `column "${f.name}" specified more than once`);
    seen.add(f.name.toLowerCase());
    return { name: f.name, type: resolveTypeExpr(f.type, catalog) };
  });
  const record: SqlType = { kind: 'record', fields };
  return t.array ? { kind: 'array', element: record } : record;
}

function parseTypeText(text: string): TypeName {
  const bad = () => new SqlError(SqlState.syntaxError, `invalid type name "${text}"`);
  let stmts: { stmt?: Node }[];
  try {
    stmts = (parseSync(`SELECT NULL::${text}`) as { stmts?: { stmt?: Node }[] }).stmts ?? [];
  } catch {
    throw bad();
  }
  const stmt = stmts.length === 1 ? stmts[0]!.stmt : undefined;
  const select = stmt && 'SelectStmt' in stmt ? stmt.SelectStmt : undefined;
  const plain = select !== undefined && Object.keys(select).every((k) => k === 'targetList' || k === 'limitOption' || k === 'op');
  const target = plain && select.targetList?.length === 1 ? select.targetList[0] : undefined;
  const cast = target && 'ResTarget' in target ? target.ResTarget.val : undefined;
  if (!cast || !('TypeCast' in cast) || !cast.TypeCast.typeName || !(cast.TypeCast.arg && 'A_Const' in cast.TypeCast.arg)) throw bad();
  return cast.TypeCast.typeName;
}

export type TypeCategory = 'B' | 'N' | 'S' | 'D' | 'T' | 'U' | 'A' | 'X' | 'R';

/** Postgres's typcategory: B boolean, N numeric, S string, D datetime, T timespan, A array, U user/other, X unknown. */
export function category(t: SqlType): TypeCategory {
  switch (t.kind) {
    case 'bool': return 'B';
    case 'int2': case 'int4': case 'int8': case 'float4': case 'float8': case 'numeric': case 'oid': return 'N';
    case 'text': case 'varchar': case 'char': return 'S';
    case 'date': case 'time': case 'timestamp': case 'timestamptz': return 'D';
    case 'interval': return 'T';
    case 'array': return 'A';
    case 'record': return 'R';
    case 'unknown': return 'X';
    default: return 'U';
  }
}

export function isPreferred(t: SqlType): boolean {
  return t.kind === 'float8' || t.kind === 'text' || t.kind === 'timestamptz' || t.kind === 'bool' || t.kind === 'interval' || t.kind === 'oid';
}

/** Same type including modifiers (varchar(3) ≠ varchar(5)). */
export function exactlySame(a: SqlType, b: SqlType): boolean {
  return typeName(a) === typeName(b);
}
