/**
 * pg-oid: how SQL types appear on the Postgres wire. Each SqlType has the OID of its Postgres
 * counterpart (pg_type.oid), its typlen (RowDescription's "data type size") and its atttypmod
 * (RowDescription's "type modifier"). Clients use these to pick a parser for each column and
 * to declare parameter types in Parse.
 *
 *   oidOf(T.int4) = 23          typeOfOid(1043) = { kind: 'varchar' }
 *   typeSize(T.int8) = 8         typeModifier({ kind: 'varchar', length: 10 }) = 14
 */
import type { SqlType, SqlTypeKind } from './sql-type.js';
import { assertNever } from '../util/assert-never.js';

/** Scalar kinds: [oid, array oid, typlen]. */
const SCALARS: { [K in Exclude<SqlTypeKind, 'array' | 'record' | 'unknown'>]: [number, number, number] } = {
  bool: [16, 1000, 1],
  bytea: [17, 1001, -1],
  int8: [20, 1016, 8],
  int2: [21, 1005, 2],
  int4: [23, 1007, 4],
  text: [25, 1009, -1],
  oid: [26, 1028, 4],
  json: [114, 199, -1],
  float4: [700, 1021, 4],
  float8: [701, 1022, 8],
  char: [1042, 1014, -1],
  varchar: [1043, 1015, -1],
  date: [1082, 1182, 4],
  time: [1083, 1183, 8],
  timestamp: [1114, 1115, 8],
  timestamptz: [1184, 1185, 8],
  interval: [1186, 1187, 16],
  numeric: [1700, 1231, -1],
  uuid: [2950, 2951, 16],
  jsonb: [3802, 3807, -1],
};

export const RECORD_OID = 2249;
export const RECORD_ARRAY_OID = 2287;
export const UNKNOWN_OID = 705;
/** text[]: the array OID used for arrays of unknown (Postgres has no unknown[]). */
const TEXT_ARRAY_OID = 1009;

const BY_OID = new Map<number, SqlType>();
for (const [kind, [oid, arrayOid]] of Object.entries(SCALARS)) {
  const t = { kind } as SqlType;
  BY_OID.set(oid, t);
  BY_OID.set(arrayOid, { kind: 'array', element: t });
}
BY_OID.set(RECORD_OID, { kind: 'record', fields: [] });
BY_OID.set(RECORD_ARRAY_OID, { kind: 'array', element: { kind: 'record', fields: [] } });
BY_OID.set(UNKNOWN_OID, { kind: 'unknown' });
// Types weir reads as a close relative: name and "char" as text.
BY_OID.set(19, { kind: 'text' });
BY_OID.set(18, { kind: 'text' });
BY_OID.set(1003, { kind: 'array', element: { kind: 'text' } });

/** Every scalar type weir has, with its OID, array OID and typlen (pg_type's rows). */
export function builtinTypes(): { type: SqlType; oid: number; arrayOid: number; typlen: number }[] {
  return Object.entries(SCALARS).map(([kind, [oid, arrayOid, typlen]]) => ({ type: { kind } as SqlType, oid, arrayOid, typlen }));
}

/** The type of an OID with its atttypmod applied (the inverse of `typeModifier`), for format_type. */
export function typeOfOidWithModifier(oid: number, typmod: number): SqlType | undefined {
  const t = typeOfOid(oid);
  if (!t || typmod < 4) return t;
  if (t.kind === 'array') return { kind: 'array', element: typeOfOidWithModifier(oidOf(t.element), typmod) ?? t.element };
  if (t.kind === 'varchar' || t.kind === 'char') return { kind: t.kind, length: typmod - 4 };
  if (t.kind === 'numeric') return { kind: 'numeric', precision: (typmod - 4) >> 16, scale: (typmod - 4) & 0xffff };
  return t;
}

/** The Postgres OID of a type. Arrays of arrays are multi-dimensional arrays of the same OID. */
export function oidOf(t: SqlType): number {
  switch (t.kind) {
    case 'array': {
      let e = t.element;
      while (e.kind === 'array') e = e.element;
      if (e.kind === 'record') return RECORD_ARRAY_OID;
      if (e.kind === 'unknown') return TEXT_ARRAY_OID;
      return SCALARS[e.kind][1];
    }
    case 'record':
      return RECORD_OID;
    case 'unknown':
      return UNKNOWN_OID;
    default:
      return SCALARS[t.kind][0];
  }
}

/** The type of a Postgres OID, or undefined for a type weir does not have. */
export function typeOfOid(oid: number): SqlType | undefined {
  return BY_OID.get(oid);
}

/** typlen: the fixed size in bytes, -1 for variable-length types, -2 for unknown (a C string). */
export function typeSize(t: SqlType): number {
  switch (t.kind) {
    case 'array':
    case 'record':
      return -1;
    case 'unknown':
      return -2;
    default:
      return SCALARS[t.kind][2];
  }
}

/** atttypmod: varchar(n)/char(n) → n+4, numeric(p,s) → ((p << 16) | s) + 4, arrays as their element, else -1. */
export function typeModifier(t: SqlType): number {
  switch (t.kind) {
    case 'varchar':
    case 'char':
      return t.length === undefined ? -1 : t.length + 4;
    case 'numeric':
      return t.precision === undefined ? -1 : ((t.precision << 16) | (t.scale ?? 0)) + 4;
    case 'array':
      return typeModifier(t.element);
    case 'bool': case 'int2': case 'int4': case 'int8': case 'float4': case 'float8': case 'text':
    case 'bytea': case 'date': case 'time': case 'timestamp': case 'timestamptz': case 'interval':
    case 'json': case 'jsonb': case 'uuid': case 'oid': case 'record': case 'unknown':
      return -1;
    default:
      return assertNever(t, 'type');
  }
}
