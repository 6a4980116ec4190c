// pg_catalog and information_schema as relations: computed from the catalog at read time,
// consistent with each other (oids join), joinable like any relation, never writable or
// materializable; and the catalog functions clients call with them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';

let db: InProcess;
beforeAll(async () => {
  db = await inProcess();
  await db.run(`CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL DEFAULT 'nobody', amount numeric(10,2), tags varchar(8)[])`);
  await db.run('CREATE VIEW big AS SELECT id, amount FROM orders WHERE amount > 100');
  await db.run('CREATE MATERIALIZED VIEW per_customer AS SELECT customer, count(*) AS n FROM orders GROUP BY customer');
  await db.run('CREATE INDEX orders_customer ON orders (customer)');
});
afterAll(async () => {
  await db.close();
});

const ORDERS_OID = 16384 + 1;

describe('pg_class, pg_namespace, pg_attribute', () => {
  test('every user relation and index with its relkind, in public', async () => {
    const rows = await db.rows(`
      SELECT c.relname, c.relkind, n.nspname FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' ORDER BY c.relname`);
    expect(rows).toEqual([
      ['big', 'v', 'public'],
      ['orders', 'r', 'public'],
      ['orders_customer', 'i', 'public'],
      ['orders_pkey', 'i', 'public'],
      ['per_customer', 'm', 'public'],
    ]);
  });

  test('oids derive from catalog ids and agree across relations', async () => {
    expect(await db.rows(`SELECT oid FROM pg_class WHERE relname = 'orders'`)).toEqual([[ORDERS_OID]]);
    expect(await db.rows(`SELECT 'orders'::regclass, 'public.orders'::regclass, 'pg_class'::regclass`)).toEqual([[ORDERS_OID, ORDERS_OID, 1259]]);
    expect(await db.rows(`SELECT conrelid::regclass::text, 'information_schema.tables'::regclass::text, 1043::regtype::text FROM pg_constraint`)).toEqual([
      ['orders', 'information_schema.tables', 'character varying'],
    ]);
    const cols = await db.rows(`
      SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef,
             (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum)
      FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'orders'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`);
    expect(cols).toEqual([
      [1, 'id', 'integer', true, false, null],
      [2, 'customer', 'text', true, true, "'nobody'"],
      [3, 'amount', 'numeric(10,2)', false, false, null],
      [4, 'tags', 'character varying(8)[]', false, false, null],
    ]);
  });

  test('views have no NOT NULL columns; a view and a materialized view print their SQL', async () => {
    expect(await db.rows(`SELECT bool_or(attnotnull) FROM pg_attribute WHERE attrelid = 'big'::regclass`)).toEqual([[false]]);
    const [[def]] = (await db.rows(`SELECT pg_get_viewdef('big'::regclass, true)`)) as [[string]];
    expect(def.replace(/\s+/g, ' ')).toBe(' SELECT id, amount FROM orders WHERE amount > 100;');
    expect(await db.rows(`SELECT matviewname, definition LIKE '%GROUP BY%customer%' FROM pg_matviews`)).toEqual([['per_customer', true]]);
    expect(await db.rows(`SELECT viewname FROM pg_views`)).toEqual([['big']]);
    expect(await db.rows(`SELECT tablename, hasindexes FROM pg_tables`)).toEqual([['orders', true]]);
  });

  test('pg_index and pg_constraint: the primary key and the index', async () => {
    const rows = await db.rows(`
      SELECT c2.relname, i.indisprimary, i.indisunique, i.indkey, pg_get_indexdef(i.indexrelid), pg_get_constraintdef(con.oid, true)
      FROM pg_index i JOIN pg_class c2 ON c2.oid = i.indexrelid
      LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u')
      WHERE i.indrelid = 'orders'::regclass ORDER BY c2.relname`);
    expect(rows).toEqual([
      ['orders_customer', false, false, [2], 'CREATE INDEX orders_customer ON public.orders USING btree (customer)', null],
      ['orders_pkey', true, true, [1], 'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)', 'PRIMARY KEY (id)'],
    ]);
  });

  test('the catalog follows DDL', async () => {
    await db.run('CREATE TABLE later (x int)');
    expect(await db.rows(`SELECT relkind FROM pg_class WHERE relname = 'later'`)).toEqual([['r']]);
    await db.run('DROP TABLE later');
    expect(await db.rows(`SELECT relkind FROM pg_class WHERE relname = 'later'`)).toEqual([]);
  });
});

describe('pg_type', () => {
  test('built-in types with their arrays (postgres.js start-up probe)', async () => {
    expect(await db.rows(`SELECT typname, typlen, typtype, typcategory, typarray FROM pg_type WHERE oid = 23`)).toEqual([['int4', 4, 'b', 'N', 1007]]);
    expect(await db.rows(`SELECT typname, typelem FROM pg_type WHERE oid = 1007`)).toEqual([['_int4', 23]]);
    const probe = await db.rows(`
      select b.oid, b.typarray from pg_catalog.pg_type a
      left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid`);
    expect(probe).toContainEqual([1700, 1231]);
    expect(await db.rows(`SELECT 'int4'::regtype, 'character varying'::regtype, 'text[]'::regtype`)).toEqual([[23, 1043, 1009]]);
  });
});

describe('information_schema', () => {
  test('tables, columns, schemata, views and the primary key', async () => {
    expect(await db.rows(`SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).toEqual([
      ['big', 'VIEW'],
      ['orders', 'BASE TABLE'],
      ['per_customer', 'VIEW'],
    ]);
    expect(
      await db.rows(`SELECT column_name, data_type, is_nullable, column_default, numeric_precision, numeric_scale
                     FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position`),
    ).toEqual([
      ['id', 'integer', 'NO', null, 32, 0],
      ['customer', 'text', 'NO', "'nobody'", null, null],
      ['amount', 'numeric', 'YES', null, 10, 2],
      ['tags', 'ARRAY', 'YES', null, null, null],
    ]);
    expect(await db.rows(`SELECT schema_name FROM information_schema.schemata ORDER BY 1`)).toEqual([['information_schema'], ['pg_catalog'], ['public']]);
    expect(await db.rows(`SELECT k.column_name FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k USING (constraint_name) WHERE t.constraint_type = 'PRIMARY KEY'`)).toEqual([['id']]);
  });
});

describe('session and server relations and functions', () => {
  test('pg_database, pg_roles, pg_settings and the identity functions agree with the session', async () => {
    expect(await db.rows(`SELECT datname, pg_encoding_to_char(encoding), pg_get_userbyid(datdba) FROM pg_database`)).toEqual([['weir', 'UTF8', 'weir']]);
    expect(await db.rows(`SELECT rolname, rolsuper FROM pg_roles`)).toEqual([['weir', true]]);
    expect(await db.rows(`SELECT setting FROM pg_settings WHERE name = 'TimeZone'`)).toEqual([['UTC']]);
    expect(await db.rows(`SELECT current_database(), current_user, session_user, current_schema(), current_schemas(true), current_setting('DateStyle')`)).toEqual([
      ['weir', 'weir', 'weir', 'public', ['pg_catalog', 'public'], 'ISO, MDY'],
    ]);
    const [[v, pid]] = (await db.rows(`SELECT version(), pg_backend_pid()`)) as [[string, number]];
    expect(v).toMatch(/^PostgreSQL 14/);
    expect(pid).toBeGreaterThan(0);
    expect(await db.rows(`SELECT has_table_privilege('orders', 'SELECT'), pg_table_is_visible('orders'::regclass), obj_description('orders'::regclass, 'pg_class'), col_description(1, 1)`)).toEqual([
      [true, true, null, null],
    ]);
  });

  test('empty-by-design relations answer no rows and join like the others', async () => {
    for (const r of ['pg_description', 'pg_proc', 'pg_inherits', 'pg_statistic_ext', 'pg_policy', 'pg_publication', 'pg_publication_rel', 'pg_trigger', 'pg_foreign_table', 'pg_partitioned_table']) {
      expect(await db.rows(`SELECT count(*) FROM pg_catalog.${r}`), r).toEqual([[0n]]);
    }
    expect(await db.rows(`SELECT c.relname FROM pg_class c LEFT JOIN pg_description d ON d.objoid = c.oid WHERE c.relname = 'orders'`)).toEqual([['orders']]);
  });

  test('x = ANY (array), ARRAY (subquery), OPERATOR(pg_catalog.~) and COLLATE as psql writes them', async () => {
    expect(await db.rows(`SELECT 2 = ANY (ARRAY[1, 2]), 3 = ANY (ARRAY[1, NULL]), 3 <> ALL (ARRAY[1, 2])`)).toEqual([[true, null, true]]);
    expect(await db.rows(`SELECT ARRAY(SELECT relname FROM pg_class WHERE relnamespace = 2200 AND relkind = 'i' ORDER BY 1)`)).toEqual([[['orders_customer', 'orders_pkey']]]);
    expect(await db.rows(`SELECT ARRAY(SELECT relname FROM pg_class WHERE relname = 'none')`)).toEqual([[[]]]);
    expect(await db.rows(`SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(orders)$' COLLATE pg_catalog.default`)).toEqual([['orders']]);
  });
});

describe('rules', () => {
  test('a user object shadows an unqualified pg_catalog name; pg_catalog.x still names the system relation', async () => {
    await db.run('CREATE TABLE pg_am (x int)');
    expect(await db.rows('SELECT count(*) FROM pg_am')).toEqual([[0n]]);
    expect(await db.rows('SELECT count(*) FROM pg_catalog.pg_am')).toEqual([[2n]]);
    await db.run('DROP TABLE pg_am');
  });

  test('system relations cannot be written, indexed or materialized; session functions cannot be materialized', async () => {
    await expect(db.run(`INSERT INTO pg_catalog.pg_namespace VALUES (1, 'x', 10, NULL)`)).rejects.toMatchObject({ code: '42809' });
    await expect(db.run('CREATE INDEX on_class ON pg_catalog.pg_class (relname)')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('CREATE MATERIALIZED VIEW mv_class AS SELECT relname FROM pg_class')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('CREATE MATERIALIZED VIEW mv_user AS SELECT current_user AS u')).rejects.toMatchObject({ code: '0A000', message: 'current_user() is not supported in a materialized view' });
    await db.run('CREATE VIEW v_class AS SELECT relname FROM pg_class');
    expect(await db.rows(`SELECT count(*) FROM v_class WHERE relname = 'orders'`)).toEqual([[1n]]);
    await db.run('DROP VIEW v_class');
  });

  test('unknown relation and unsupported reg* input give clear errors', async () => {
    await expect(db.run(`SELECT 'nope'::regclass`)).rejects.toMatchObject({ code: '42P01' });
    await expect(db.run(`SELECT 'f'::regrole`)).rejects.toMatchObject({ code: '0A000' });
    // pg_type's typinput is a name (text), and so is a name cast to regproc (pgjdbc's getTypeInfo).
    const arrays = await db.rows(`SELECT count(*) FROM pg_type WHERE typinput = 'pg_catalog.array_in'::regproc`);
    expect(Number(arrays[0]![0])).toBeGreaterThan(0);
    await expect(db.run('SELECT * FROM pg_catalog.pg_nothing')).rejects.toMatchObject({ code: '42P01' });
    await expect(db.run('SELECT * FROM pg_catalog.pg_stat_activity')).rejects.toMatchObject({ code: '0A000', message: 'system relation "pg_catalog.pg_stat_activity" is not supported' });
    await expect(db.run('SELECT * FROM information_schema.routines')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('SELECT pg_get_function_result(oid) FROM pg_proc')).resolves.toMatchObject({ kind: 'rows' });
  });
});
