/**
 * The server-level relations: pg_database (the one database a session is connected to),
 * pg_roles / pg_user (the session's user, oid 10, owner of every object: weir has no roles
 * or privileges yet), pg_settings (the session's settings, as SHOW shows them, and a few fixed
 * server settings clients read) and
 * pg_tablespace (pg_default).
 */
import { BOOTSTRAP_ROLE_OID, DATABASE_OID, TABLESPACE_OID } from './oids.js';
import { relation, type SystemRelation } from './system-relation.js';

export const PG_DATABASE = relation(
  'pg_catalog', 'pg_database', 1262, 'r',
  `oid oid, datname name, datdba oid, encoding int4, datlocprovider char, datistemplate bool,
   datallowconn bool, datconnlimit int4, dattablespace oid, datcollate text, datctype text,
   daticulocale text, datcollversion text, datacl text[]`,
  (ctx) => [
    {
      oid: DATABASE_OID, datname: ctx.database, datdba: BOOTSTRAP_ROLE_OID, encoding: 6, datlocprovider: 'c',
      datistemplate: false, datallowconn: true, datconnlimit: -1, dattablespace: TABLESPACE_OID, datcollate: 'C', datctype: 'C',
    },
  ],
);

export const PG_ROLES = relation(
  'pg_catalog', 'pg_roles', 12001, 'v',
  `rolname name, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool,
   rolcanlogin bool, rolreplication bool, rolconnlimit int4, rolpassword text,
   rolvaliduntil timestamptz, rolbypassrls bool, rolconfig text[], oid oid`,
  (ctx) => [
    {
      rolname: ctx.user, rolsuper: true, rolinherit: true, rolcreaterole: true, rolcreatedb: true, rolcanlogin: true,
      rolreplication: false, rolconnlimit: -1, rolpassword: '********', rolbypassrls: true, oid: BOOTSTRAP_ROLE_OID,
    },
  ],
);

export const PG_USER = relation(
  'pg_catalog', 'pg_user', 12002, 'v',
  `usename name, usesysid oid, usecreatedb bool, usesuper bool, userepl bool, usebypassrls bool,
   passwd text, valuntil timestamptz, useconfig text[]`,
  (ctx) => [
    { usename: ctx.user, usesysid: BOOTSTRAP_ROLE_OID, usecreatedb: true, usesuper: true, userepl: false, usebypassrls: true, passwd: '********' },
  ],
);

/**
 * Server settings that are not session settings, as pg_settings shows them (context
 * 'internal': fixed for the server). pgjdbc reads max_index_keys for getImportedKeys /
 * getExportedKeys and default_transaction_isolation for getDefaultTransactionIsolation.
 */
const SERVER_SETTINGS: readonly [name: string, setting: string][] = [
  ['default_transaction_isolation', 'serializable'],
  ['max_function_args', '100'],
  ['max_index_keys', '32'],
];

export const PG_SETTINGS = relation(
  'pg_catalog', 'pg_settings', 12003, 'v',
  `name text, setting text, unit text, category text, short_desc text, extra_desc text,
   context text, vartype text, source text, min_val text, max_val text, enumvals text[],
   boot_val text, reset_val text, sourcefile text, sourceline int4, pending_restart bool`,
  (ctx) =>
    [
      ...[...ctx.settings].map(([name, setting]) => ({ name, setting, context: 'user', source: 'session' })),
      ...SERVER_SETTINGS.filter(([name]) => !ctx.settings.has(name)).map(([name, setting]) => ({ name, setting, context: 'internal', source: 'default' })),
    ]
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
      .map(({ name, setting, context, source }) => ({
        name, setting, category: 'Client Connection Defaults', short_desc: '', context, vartype: 'string',
        source, boot_val: setting, reset_val: setting, pending_restart: false,
      })),
);

export const PG_TABLESPACE = relation(
  'pg_catalog', 'pg_tablespace', 1213, 'r',
  'oid oid, spcname name, spcowner oid, spcacl text[], spcoptions text[]',
  () => [{ oid: TABLESPACE_OID, spcname: 'pg_default', spcowner: BOOTSTRAP_ROLE_OID }],
);

export const DATABASE_RELATIONS: SystemRelation[] = [PG_DATABASE, PG_ROLES, PG_USER, PG_SETTINGS, PG_TABLESPACE];
