// The catalog as clients read it: psql 15's describe commands (\d, \dt, \dv, \dm, \di, \dn,
// \l, \d <name>) against a running server, the exact catalog queries psql sends for them
// (captured with `psql -E`, in fixtures/psql15-catalog-queries.sql), pgjdbc's DatabaseMetaData
// queries (captured from weir's trace log, fixtures/pgjdbc-catalog-queries.sql), and postgres.js
// with its default options,
// whose first query is preceded by a pg_type probe.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { runPsql, type PsqlRun } from '../harness/psql.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL DEFAULT 'nobody', amount numeric(10,2), placed_at timestamp)`);
  await c.query('CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100');
  await c.query('CREATE MATERIALIZED VIEW revenue AS SELECT customer, sum(amount) AS total FROM orders GROUP BY customer');
  await c.query('CREATE INDEX orders_by_customer ON orders (customer)');
  await c.end();
});
afterAll(async () => {
  await server.close();
});

/** Runs `script` through psql (asynchronously: the server runs in this process). */
function psql(script: string): Promise<PsqlRun> {
  return runPsql(server.port, script, [], 20_000);
}

/** The data lines of psql's aligned output, cells trimmed. */
function cells(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('|') && !/^-+\+/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
}

describe('psql describe commands', () => {
  test('\\d lists tables, views and materialized views with their owner', async () => {
    const r = await psql('\\d\n');
    expect(r.stderr).toBe('');
    expect(cells(r.stdout)).toEqual([
      ['Schema', 'Name', 'Type', 'Owner'],
      ['public', 'big_orders', 'view', 'weir'],
      ['public', 'orders', 'table', 'weir'],
      ['public', 'revenue', 'materialized view', 'weir'],
    ]);
  });

  test('\\dt, \\dv, \\dm, \\di list one kind each', async () => {
    const r = await psql('\\dt\n\\dv\n\\dm\n\\di\n');
    expect(r.stderr).toBe('');
    const rows = cells(r.stdout).filter((c) => c[0] === 'public');
    expect(rows).toEqual([
      ['public', 'orders', 'table', 'weir'],
      ['public', 'big_orders', 'view', 'weir'],
      ['public', 'revenue', 'materialized view', 'weir'],
      ['public', 'orders_by_customer', 'index', 'weir', 'orders'],
      ['public', 'orders_pkey', 'index', 'weir', 'orders'],
    ]);
  });

  test('\\dn lists the public schema and \\l the database', async () => {
    const r = await psql('\\dn\n\\l\n');
    expect(r.stderr).toBe('');
    expect(cells(r.stdout)).toContainEqual(['public', 'weir']);
    expect(cells(r.stdout).find((c) => c[0] === 'weir')?.slice(0, 3)).toEqual(['weir', 'weir', 'UTF8']);
  });

  test('\\d orders: columns with types, nullability, defaults, and the indexes', async () => {
    const r = await psql('\\d orders\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Table "public\.orders"/);
    expect(cells(r.stdout)).toEqual([
      ['Column', 'Type', 'Collation', 'Nullable', 'Default'],
      ['id', 'integer', '', 'not null', ''],
      ['customer', 'text', '', 'not null', "'nobody'"],
      ['amount', 'numeric(10,2)', '', '', ''],
      ['placed_at', 'timestamp without time zone', '', '', ''],
    ]);
    expect(r.stdout).toMatch(/Indexes:\n {4}"orders_pkey" PRIMARY KEY, btree \(id\)\n {4}"orders_by_customer" btree \(customer\)/);
  });

  test('\\d of a view, a materialized view and an index', async () => {
    const r = await psql('\\d big_orders\n\\d revenue\n\\d orders_pkey\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/View "public\.big_orders"/);
    expect(r.stdout).toMatch(/Materialized view "public\.revenue"/);
    expect(r.stdout).toMatch(/ total +\| numeric +\|/);
    expect(r.stdout).toMatch(/Index "public\.orders_pkey"/);
    expect(r.stdout).toMatch(/primary key, btree, for table "public\.orders"/);
  });

  test('\\d+ orders adds storage and compression columns; \\d+ of a view prints its definition', async () => {
    const r = await psql('\\d+ orders\n\\d+ big_orders\n');
    expect(r.stderr).toBe('');
    const rows = cells(r.stdout);
    expect(rows[0]).toEqual(['Column', 'Type', 'Collation', 'Nullable', 'Default', 'Storage', 'Compression', 'Stats target', 'Description']);
    expect(rows[3]).toEqual(['amount', 'numeric(10,2)', '', '', '', 'main', '', '', '']);
    expect(r.stdout).toMatch(/Access method: heap/);
    expect(r.stdout).toMatch(/View definition:\n SELECT/);
  });

  test('\\d of an unknown name says so, as in Postgres', async () => {
    const r = await psql('\\d nothing_here\n');
    expect(r.stderr).toMatch(/Did not find any relation named "nothing_here"/);
  });

  test("every catalog query psql 15 sends for these commands succeeds (psql -E's capture)", async () => {
    const fixture = readFileSync(new URL('./fixtures/psql15-catalog-queries.sql', import.meta.url), 'utf8');
    const queries = fixture.split(/^-- query \d+.*$/m).map((q) => q.trim()).filter((q) => q !== '');
    expect(queries.length).toBeGreaterThanOrEqual(20);
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const failed: string[] = [];
    for (const q of queries) {
      try {
        await c.query(q);
      } catch (e) {
        failed.push(`${(e as Error).message}\n${q}`);
      }
    }
    await c.end();
    expect(failed).toEqual([]);
  });
});

/** The queries of a fixture: "-- query N (what) [params: [...]]" lines start each one. */
function fixtureQueries(name: string): { label: string; text: string; params: string[] }[] {
  const fixture = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  const parts = fixture.split(/^(-- query \d+.*)$/m);
  const out: { label: string; text: string; params: string[] }[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const header = parts[i]!;
    const params = /params: (\[.*\])$/.exec(header);
    out.push({ label: header.replace(/^-- /, ''), text: parts[i + 1]!.trim(), params: params ? (JSON.parse(params[1]!) as string[]) : [] });
  }
  return out;
}

/** Runs each query with node-postgres (extended protocol when it has parameters); the failures as "label: code message". */
async function failures(queries: { label: string; text: string; params: string[] }[]): Promise<string[]> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  const failed: string[] = [];
  try {
    for (const q of queries) {
      try {
        await c.query(q.text, q.params.length > 0 ? q.params : undefined);
      } catch (e) {
        failed.push(`${q.label}: ${(e as { code?: string }).code} ${(e as Error).message}`);
      }
    }
  } finally {
    await c.end();
  }
  return failed;
}

describe('the catalog queries of pgjdbc', () => {
  beforeAll(async () => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query('CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL)');
    await c.query('CREATE TABLE child (id int PRIMARY KEY, parent_id int, note varchar(20))');
    await c.query('CREATE INDEX child_parent ON child (parent_id)');
    await c.end();
  });

  test("pgjdbc's DatabaseMetaData queries all succeed", async () => {
    const queries = fixtureQueries('pgjdbc-catalog-queries.sql');
    expect(queries.length).toBe(26);
    expect(await failures(queries)).toEqual([]);
  });

  test("pg_get_keywords() gives Postgres's keywords with their categories", async () => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const r = await c.query("SELECT word, catcode, catdesc FROM pg_catalog.pg_get_keywords() WHERE word IN ('select', 'ilike', 'abort', 'between') ORDER BY word");
      expect(r.rows).toEqual([
        { word: 'abort', catcode: 'U', catdesc: 'unreserved' },
        { word: 'between', catcode: 'C', catdesc: 'unreserved (cannot be function or type name)' },
        { word: 'ilike', catcode: 'T', catdesc: 'reserved (can be function or type name)' },
        { word: 'select', catcode: 'R', catdesc: 'reserved' },
      ]);
      const n = await c.query('SELECT count(*)::int AS n FROM pg_get_keywords()');
      expect(n.rows[0].n).toBeGreaterThan(400);
    } finally {
      await c.end();
    }
  });

  // GUI tools' navigators (DBeaver and the like) read pg_catalog directly with queries of this
  // shape; DBeaver itself cannot run here, so these are written here after that shape, not
  // captured: c.* over pg_class, descriptions joined by objoid/objsubid, reg casts, the
  // pg_get_*def functions, and the catalogs they probe that weir keeps empty.
  test('navigator-style catalog queries (schemas, tables, columns, keys, types) answer', async () => {
    const texts = [
      "SELECT n.oid, n.*, d.description FROM pg_catalog.pg_namespace n LEFT JOIN pg_catalog.pg_description d ON d.objoid = n.oid AND d.objsubid = 0 AND d.classoid = 'pg_namespace'::regclass ORDER BY nspname",
      'SELECT db.oid, db.* FROM pg_catalog.pg_database db WHERE datallowconn AND NOT datistemplate ORDER BY db.datname',
      'SELECT a.oid, a.* FROM pg_catalog.pg_roles a ORDER BY a.rolname',
      "SELECT c.oid, c.*, t.relname AS tabrelname, d.description FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_class t ON c.reltoastrelid = t.oid LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind NOT IN ('i', 'I', 'c') ORDER BY c.relname",
      "SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid) AS def, dsc.description FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON a.attrelid = c.oid LEFT JOIN pg_catalog.pg_attrdef ad ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum LEFT JOIN pg_catalog.pg_description dsc ON c.oid = dsc.objoid AND a.attnum = dsc.objsubid WHERE NOT a.attisdropped AND a.attnum > 0 AND c.relname = 'parent' ORDER BY a.attnum",
      "SELECT t.oid, t.typname, c.relkind, format_type(nullif(t.typbasetype, 0), t.typtypmod) AS base_type_name FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid WHERE (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')",
      "SELECT i.indexrelid, i.indisunique, i.indisprimary, pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i WHERE i.indrelid = 'child'::regclass",
      "SELECT con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_catalog.pg_constraint con WHERE con.conrelid = 'parent'::regclass",
      'SELECT e.oid, e.* FROM pg_catalog.pg_extension e',
      'SELECT tr.oid FROM pg_catalog.pg_trigger tr',
      'SELECT s.* FROM pg_catalog.pg_sequence s',
      'SELECT * FROM pg_catalog.pg_am',
    ];
    expect(await failures(texts.map((text, i) => ({ label: `query ${i + 1}`, text, params: [] })))).toEqual([]);
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const tables = await c.query(texts[3]!);
      expect(tables.rows.map((r) => `${r.relname}/${r.relkind}`)).toEqual(expect.arrayContaining(['child/r', 'parent/r']));
      const columns = await c.query(texts[4]!);
      expect(columns.rows.map((r) => [r.attname, r.type, r.attnotnull])).toEqual([
        ['id', 'integer', true],
        ['name', 'text', true],
      ]);
      const keys = await c.query(texts[7]!);
      expect(keys.rows).toEqual([{ conname: 'parent_pkey', contype: 'p', pg_get_constraintdef: 'PRIMARY KEY (id)' }]);
    } finally {
      await c.end();
    }
  });

  test("pgjdbc's getPrimaryKeys query (set-returning _pg_expandarray in the select list) finds the key", async () => {
    const q = fixtureQueries('pgjdbc-catalog-queries.sql').find((x) => x.label.includes('getPrimaryKeys'))!;
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const r = await c.query(q.text, ['public', 'child']);
      expect(r.rows.map((row) => [row.COLUMN_NAME, row.KEY_SEQ, row.PK_NAME])).toEqual([['id', 1, 'child_pkey']]);
    } finally {
      await c.end();
    }
  });
});

describe('psql tab completion', () => {
  test("the completion queries for table and column names (psql 15's Query_for_list_of_tables / attributes)", async () => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const tables = await c.query(`
        SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c
         WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND (c.relname) LIKE 'ord%' AND pg_catalog.pg_table_is_visible(c.oid)
           AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
        UNION ALL
        SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n
         WHERE n.nspname LIKE 'ord%' AND n.nspname NOT LIKE E'pg\\_%'
        LIMIT 1000`);
      expect(tables.rows.map((r) => r.relname)).toEqual(['orders']);
      const columns = await c.query(`
        SELECT pg_catalog.quote_ident(attname) FROM pg_catalog.pg_attribute a, pg_catalog.pg_class c
         WHERE c.oid = a.attrelid AND a.attnum > 0 AND NOT a.attisdropped AND substring(pg_catalog.quote_ident(attname),1,2)='cu'
           AND (pg_catalog.quote_ident(relname)='orders' OR '"' || relname || '"'='orders') AND pg_catalog.pg_table_is_visible(c.oid)
        LIMIT 1000`);
      expect(columns.rows).toEqual([{ quote_ident: 'customer' }]);
    } finally {
      await c.end();
    }
  });
});

describe('postgres.js with its default options', () => {
  test('connects (fetching array types from pg_type) and runs a query with parameters', async () => {
    const sql = postgres({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir', max: 1, onnotice: () => undefined });
    try {
      const rows = await sql`SELECT id, customer FROM orders WHERE id = ${1}`;
      expect(rows).toEqual([]);
      const [row] = await sql`SELECT ${[1, 2, 3]}::int4[] AS xs, current_user AS me`;
      expect(row).toEqual({ xs: [1, 2, 3], me: 'weir' });
    } finally {
      await sql.end();
    }
  });
});
