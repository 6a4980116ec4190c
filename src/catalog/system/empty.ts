/**
 * pg_catalog relations that are empty by design, because weir has no such objects. They exist
 * so that the queries clients send (psql's \d, drivers' start-up probes) bind and join, and
 * answer "none" as Postgres would for a database without them:
 *
 * | relation                  | why it is empty                                              |
 * |---------------------------|--------------------------------------------------------------|
 * | pg_description            | weir has no COMMENT ON                                       |
 * | pg_proc                   | functions are built in (plan/functions), not catalog rows    |
 * | pg_inherits               | no table inheritance or partitions                           |
 * | pg_statistic_ext          | no CREATE STATISTICS                                         |
 * | pg_policy                 | no row-level security                                        |
 * | pg_publication(_rel/_namespace) | no logical replication publications                   |
 * | pg_trigger, pg_rewrite    | no triggers, no rules (views are inlined by the binder)      |
 * | pg_foreign_table          | no foreign tables (sources appear as tables)                 |
 * | pg_partitioned_table      | no partitioning                                              |
 * | pg_extension              | no extensions                                                |
 * | pg_auth_members           | one role, a member of none                                   |
 * | pg_sequence               | no sequences (no serial columns, no CREATE SEQUENCE)         |
 *
 * pg_collation is not empty: it has Postgres's three built-in collations.
 */
import { BOOTSTRAP_ROLE_OID, DEFAULT_COLLATION_OID, namespaceOid } from './oids.js';
import { emptyRelation, relation, type SystemRelation } from './system-relation.js';

export const EMPTY_RELATIONS: SystemRelation[] = [
  emptyRelation('pg_description', 2609, 'objoid oid, classoid oid, objsubid int4, description text'),
  emptyRelation(
    'pg_proc', 1255,
    `oid oid, proname name, pronamespace oid, proowner oid, prolang oid, procost float4, prorows float4,
     provariadic oid, prosupport text, prokind char, prosecdef bool, proleakproof bool, proisstrict bool,
     proretset bool, provolatile char, proparallel char, pronargs int2, pronargdefaults int2,
     prorettype oid, proargtypes oid[], proallargtypes oid[], proargmodes char[], proargnames text[],
     proargdefaults text, protrftypes oid[], prosrc text, probin text, prosqlbody text,
     proconfig text[], proacl text[]`,
  ),
  emptyRelation('pg_inherits', 2611, 'inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool'),
  emptyRelation(
    'pg_statistic_ext', 3381,
    `oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, stxstattarget int4,
     stxkeys int2[], stxkind char[], stxexprs text`,
  ),
  emptyRelation(
    'pg_policy', 3256,
    'oid oid, polname name, polrelid oid, polcmd char, polpermissive bool, polroles oid[], polqual text, polwithcheck text',
  ),
  emptyRelation(
    'pg_publication', 6104,
    `oid oid, pubname name, pubowner oid, puballtables bool, pubinsert bool, pubupdate bool,
     pubdelete bool, pubtruncate bool, pubviaroot bool`,
  ),
  emptyRelation('pg_publication_rel', 6106, 'oid oid, prpubid oid, prrelid oid, prqual text, prattrs int2[]'),
  emptyRelation('pg_publication_namespace', 6237, 'oid oid, pnpubid oid, pnnspid oid'),
  emptyRelation(
    'pg_trigger', 2620,
    `oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype int2, tgenabled char,
     tgisinternal bool, tgconstrrelid oid, tgconstrindid oid, tgconstraint oid, tgdeferrable bool,
     tginitdeferred bool, tgnargs int2, tgattr int2[], tgargs text, tgqual text, tgoldtable name,
     tgnewtable name`,
  ),
  emptyRelation(
    'pg_rewrite', 2618,
    'oid oid, rulename name, ev_class oid, ev_type char, ev_enabled char, is_instead bool, ev_qual text, ev_action text',
  ),
  emptyRelation('pg_foreign_table', 3118, 'ftrelid oid, ftserver oid, ftoptions text[]'),
  emptyRelation(
    'pg_partitioned_table', 3350,
    `partrelid oid, partstrat char, partnatts int2, partdefid oid, partattrs int2[], partclass oid[],
     partcollation oid[], partexprs text`,
  ),
  emptyRelation(
    'pg_extension', 3079,
    'oid oid, extname name, extowner oid, extnamespace oid, extrelocatable bool, extversion text, extconfig oid[], extcondition text[]',
  ),
  emptyRelation(
    'pg_sequence', 2224,
    `seqrelid oid, seqtypid oid, seqstart int8, seqincrement int8, seqmax int8, seqmin int8,
     seqcache int8, seqcycle bool`,
  ),
  emptyRelation('pg_auth_members', 1261, 'oid oid, roleid oid, member oid, grantor oid, admin_option bool'),
  relation(
    'pg_catalog', 'pg_collation', 3456, 'r',
    `oid oid, collname name, collnamespace oid, collowner oid, collprovider char,
     collisdeterministic bool, collencoding int4, collcollate text, collctype text,
     colliculocale text, collversion text`,
    () =>
      [
        [DEFAULT_COLLATION_OID, 'default', 'd', null],
        [950, 'C', 'c', 'C'],
        [951, 'POSIX', 'c', 'POSIX'],
      ].map(([oid, collname, collprovider, locale]) => ({
        oid, collname, collnamespace: namespaceOid('pg_catalog'), collowner: BOOTSTRAP_ROLE_OID, collprovider,
        collisdeterministic: true, collencoding: -1, collcollate: locale, collctype: locale,
      })),
  ),
];
