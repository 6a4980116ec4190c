/**
 * pg_type: the built-in types weir has (types/pg-oid.ts), each with its array type, plus the
 * pseudo-types clients look for (record, unknown) and the catalog's own name-like types.
 * No user-defined types: weir has none.
 */
import type { SqlType } from '../../types/sql-type.js';
import { RECORD_ARRAY_OID, RECORD_OID, UNKNOWN_OID, builtinTypes } from '../../types/pg-oid.js';
import { category, isPreferred } from '../../sql/binder/type-names.js';
import { BOOTSTRAP_ROLE_OID, DEFAULT_COLLATION_OID, namespaceOid } from './oids.js';
import { relation, type SystemRelation } from './system-relation.js';

/** pg_type.typname of each kind. */
const TYPNAME: Record<string, string> = {
  bool: 'bool', bytea: 'bytea', int8: 'int8', int2: 'int2', int4: 'int4', text: 'text', oid: 'oid', json: 'json',
  float4: 'float4', float8: 'float8', char: 'bpchar', varchar: 'varchar', date: 'date', time: 'time',
  timestamp: 'timestamp', timestamptz: 'timestamptz', interval: 'interval', numeric: 'numeric', uuid: 'uuid', jsonb: 'jsonb',
};

interface TypeRow {
  oid: number; typname: string; typlen: number; typtype: string; typcategory: string; typispreferred: boolean;
  typelem: number; typarray: number; typalign: string; typcollation: number; typinput: string; typoutput: string;
}

function typeRows(): TypeRow[] {
  const rows: TypeRow[] = [];
  const collation = (t: SqlType) => (t.kind === 'text' || t.kind === 'varchar' || t.kind === 'char' ? DEFAULT_COLLATION_OID : 0);
  const align = (len: number) => (len === 8 ? 'd' : len === 2 ? 's' : len === 1 ? 'c' : 'i');
  for (const { type, oid, arrayOid, typlen } of builtinTypes()) {
    const name = TYPNAME[type.kind]!;
    rows.push({
      oid, typname: name, typlen, typtype: 'b', typcategory: category(type), typispreferred: isPreferred(type), typelem: 0,
      typarray: arrayOid, typalign: align(typlen), typcollation: collation(type), typinput: `${name}in`, typoutput: `${name}out`,
    });
    rows.push({
      oid: arrayOid, typname: `_${name}`, typlen: -1, typtype: 'b', typcategory: 'A', typispreferred: false, typelem: oid,
      typarray: 0, typalign: align(typlen) === 'd' ? 'd' : 'i', typcollation: collation(type), typinput: 'array_in', typoutput: 'array_out',
    });
  }
  const extra = (oid: number, typname: string, typlen: number, typtype: string, typcategory: string, typelem = 0, typarray = 0): TypeRow => ({
    oid, typname, typlen, typtype, typcategory, typispreferred: false, typelem, typarray, typalign: typlen === 1 ? 'c' : 'i',
    typcollation: 0, typinput: `${typname}_in`, typoutput: `${typname}_out`,
  });
  rows.push(
    extra(19, 'name', 64, 'b', 'S', 18, 1003),
    extra(1003, '_name', -1, 'b', 'A', 19),
    extra(18, 'char', 1, 'b', 'Z', 0, 1002),
    extra(RECORD_OID, 'record', -1, 'p', 'P', 0, RECORD_ARRAY_OID),
    extra(RECORD_ARRAY_OID, '_record', -1, 'p', 'P', RECORD_OID),
    extra(UNKNOWN_OID, 'unknown', -2, 'p', 'X'),
    extra(2205, 'regclass', 4, 'b', 'N', 0, 2210),
    extra(2206, 'regtype', 4, 'b', 'N', 0, 2211),
  );
  return rows;
}

export const PG_TYPE = relation(
  'pg_catalog', 'pg_type', 1247, 'r',
  `oid oid, typname name, typnamespace oid, typowner oid, typlen int2, typbyval bool, typtype char,
   typcategory char, typispreferred bool, typisdefined bool, typdelim char, typrelid oid,
   typsubscript text, typelem oid, typarray oid, typinput text, typoutput text, typreceive text,
   typsend text, typmodin text, typmodout text, typanalyze text, typalign char, typstorage char,
   typnotnull bool, typbasetype oid, typtypmod int4, typndims int4, typcollation oid,
   typdefaultbin text, typdefault text, typacl text[]`,
  () =>
    typeRows().map((t) => ({
      ...t, typnamespace: namespaceOid('pg_catalog'), typowner: BOOTSTRAP_ROLE_OID, typbyval: t.typlen > 0 && t.typlen <= 8,
      typisdefined: true, typdelim: ',', typrelid: 0, typsubscript: t.typcategory === 'A' ? 'array_subscript_handler' : '-',
      typreceive: '-', typsend: '-', typmodin: '-', typmodout: '-', typanalyze: '-', typstorage: t.typlen === -1 ? 'x' : 'p',
      typnotnull: false, typbasetype: 0, typtypmod: -1, typndims: 0,
    })),
);

export const TYPE_RELATIONS: SystemRelation[] = [PG_TYPE];
