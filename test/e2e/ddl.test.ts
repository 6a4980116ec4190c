// DDL as a user runs it over node-postgres: DROP with dependents (2BP01 + hint), CASCADE
// (dependents gone from SHOW and their stored data deleted), IF [NOT] EXISTS notices,
// dropping and recreating a name, views and materialized views stacked on each other,
// CREATE INDEX + SHOW INDEXES, the SHOW family, SET/SHOW/RESET, and a restart that keeps it
// all (with views on views still updating afterwards).
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { keys, prefixRange } from '../../src/storage/key-layout.js';
import { startTestServer, type TestServer } from '../harness/weir-server.js';

let server: TestServer | undefined;
const clients: pg.Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
  await server?.close();
  server = undefined;
});

interface Notice {
  severity?: string;
  code?: string;
  message: string;
  detail?: string;
}

async function connect(s: TestServer): Promise<pg.Client & { notices: Notice[] }> {
  const c = new pg.Client({ connectionString: s.url }) as pg.Client & { notices: Notice[] };
  c.notices = [];
  c.on('notice', (n) => c.notices.push(n as never));
  await c.connect();
  clients.push(c);
  return c;
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { code: string; message: string; detail?: string; hint?: string }) => ({ code: e.code, message: e.message, detail: e.detail, hint: e.hint }),
  );

const names = async (c: pg.Client, sql: string) => (await c.query(sql)).rows.map((r) => r.name as string);

async function storedKeys(s: TestServer, id: string): Promise<number> {
  let n = 0;
  for (const prefix of [keys.tablePrefix(id), keys.statePrefix(id), keys.viewPrefix(id), keys.viewErrorPrefix(id)]) {
    for await (const chunk of s.weir.coord.store.scan(prefixRange(prefix))) n += chunk.length;
  }
  return n;
}

describe('DROP', () => {
  test('a table with a dependent view: 2BP01 with detail and hint; CASCADE drops the dependents and their data', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE src (id int PRIMARY KEY, g int, v int)');
    await c.query('CREATE MATERIALIZED VIEW per_g AS SELECT g, sum(v) AS s FROM src GROUP BY g');
    await c.query('CREATE MATERIALIZED VIEW top AS SELECT max(s) AS m FROM per_g');
    await c.query('CREATE VIEW plain AS SELECT id FROM src WHERE v > 0');
    await c.query('CREATE INDEX per_g_s ON per_g (s)');
    await c.query('CREATE TABLE other (x int)');
    await c.query('CREATE MATERIALIZED VIEW other_n AS SELECT count(*) AS n FROM other');
    await c.query('INSERT INTO src VALUES (1, 1, 10), (2, 1, 5), (3, 2, 7)');
    await c.query('INSERT INTO other VALUES (1)');

    expect(await errorOf(c.query('DROP TABLE src'))).toEqual({
      code: '2BP01',
      message: 'cannot drop table "src" because other objects depend on it',
      detail: expect.stringMatching(/depends on table "src"/),
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
    expect((await errorOf(c.query('DROP MATERIALIZED VIEW per_g')))?.code).toBe('2BP01');
    expect((await errorOf(c.query('DROP VIEW per_g')))?.code).toBe('42809');
    expect((await errorOf(c.query('DROP TABLE per_g')))?.code).toBe('42809');
    // Nothing was dropped by the refused statements.
    expect((await c.query('SELECT m FROM top')).rows).toEqual([{ m: '15' }]);

    const ids = ['src', 'per_g', 'top'].map((n) => server!.weir.coord.catalog.byName(undefined, n)!.id);
    for (const id of ids) expect(await storedKeys(server, id)).toBeGreaterThan(0);

    const r = await c.query('DROP TABLE src CASCADE');
    expect(r.command).toBe('DROP');
    expect(await names(c, 'SHOW MATERIALIZED VIEWS')).toEqual(['other_n']);
    expect(await names(c, 'SHOW VIEWS')).toEqual([]);
    expect(await names(c, 'SHOW TABLES')).toEqual(['other']);
    expect(await names(c, 'SHOW INDEXES')).toEqual([]);
    for (const n of ['src', 'per_g', 'top', 'plain']) expect((await errorOf(c.query(`SELECT * FROM ${n}`)))?.code).toBe('42P01');
    for (const id of ids) expect(await storedKeys(server, id)).toBe(0);
    // The unrelated view is untouched and still maintained.
    await c.query('INSERT INTO other VALUES (2)');
    expect((await c.query('SELECT n FROM other_n')).rows).toEqual([{ n: '2' }]);
  });

  test('DROP … CASCADE tells which objects it dropped, as Postgres does (NOTICE: drop cascades to …)', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE cn (x int)');
    await c.query('CREATE MATERIALIZED VIEW cn_a AS SELECT x FROM cn');
    await c.query('CREATE VIEW cn_b AS SELECT x FROM cn_a');
    await c.query('CREATE INDEX cn_a_x ON cn_a (x)');
    await c.query('DROP TABLE cn CASCADE');
    expect(c.notices.map((n) => [n.code, n.message, n.detail])).toEqual([
      ['00000', 'drop cascades to 2 other objects', 'drop cascades to materialized view cn_a\ndrop cascades to view cn_b'],
    ]);
    c.notices.length = 0;
    await c.query('CREATE TABLE cn (x int)');
    await c.query('CREATE MATERIALIZED VIEW cn_a AS SELECT x FROM cn');
    await c.query('DROP TABLE cn CASCADE');
    expect(c.notices.map((n) => [n.code, n.message, n.detail])).toEqual([['00000', 'drop cascades to materialized view cn_a', undefined]]);
    c.notices.length = 0;
    // Nothing depends: no notice.
    await c.query('CREATE TABLE cn (x int)');
    await c.query('DROP TABLE cn CASCADE');
    expect(c.notices).toEqual([]);
  });

  test('IF EXISTS and IF NOT EXISTS send notices and succeed', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE t (id int PRIMARY KEY)');
    await c.query('CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t');
    await c.query('CREATE TABLE IF NOT EXISTS t (other int)');
    await c.query('CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1 AS one');
    await c.query('CREATE INDEX IF NOT EXISTS mv_n ON mv (n)');
    await c.query('CREATE INDEX IF NOT EXISTS mv_n ON mv (n)');
    await c.query('DROP TABLE IF EXISTS nope');
    await c.query('DROP VIEW IF EXISTS nope');
    await c.query('DROP MATERIALIZED VIEW IF EXISTS nope');
    await c.query('DROP INDEX IF EXISTS nope');
    expect(c.notices.map((n) => [n.severity, n.code, n.message])).toEqual([
      ['NOTICE', '42P07', 'relation "t" already exists, skipping'],
      ['NOTICE', '42P07', 'relation "mv" already exists, skipping'],
      ['NOTICE', '42P07', 'relation "mv_n" already exists, skipping'],
      ['NOTICE', '42P01', 'table "nope" does not exist, skipping'],
      ['NOTICE', '42P01', 'view "nope" does not exist, skipping'],
      ['NOTICE', '42P01', 'materialized view "nope" does not exist, skipping'],
      // Postgres sends 00000 for this one; weir's 42P01 is close enough for clients.
      ['NOTICE', '42P01', 'index "nope" does not exist, skipping'],
    ]);
    // The original definitions stand.
    expect((await c.query('SHOW COLUMNS FROM t')).rows.map((r) => r.name)).toEqual(['id']);
    expect((await c.query('SELECT * FROM mv')).rows).toEqual([{ n: '0' }]);
    // Without IF [NOT] EXISTS: errors.
    expect((await errorOf(c.query('CREATE TABLE t (x int)')))?.code).toBe('42P07');
    expect((await errorOf(c.query('CREATE MATERIALIZED VIEW t AS SELECT 1')))?.code).toBe('42P07');
    expect((await errorOf(c.query('DROP TABLE nope')))).toMatchObject({ code: '42P01', message: 'table "nope" does not exist' });
    expect((await errorOf(c.query('DROP INDEX nope')))?.code).toBe('42704');
  });

  test('dropping and recreating a name starts from nothing; prepared statements re-plan', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await c.query("INSERT INTO t VALUES (1, 'old')");
    await c.query('CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t');
    // A named prepared statement planned against the old table.
    const q = { name: 'read_t', text: 'SELECT count(*)::int AS n FROM t' };
    expect((await c.query(q)).rows).toEqual([{ n: 1 }]);
    await c.query('DROP TABLE t CASCADE');
    expect((await errorOf(c.query(q)))?.code).toBe('42P01');
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v text, extra int)');
    expect((await c.query('SELECT * FROM t')).rows).toEqual([]);
    expect((await c.query(q)).rows).toEqual([{ n: 0 }]);
    await c.query("INSERT INTO t VALUES (1, 'new', 5)");
    await c.query('CREATE MATERIALIZED VIEW mv AS SELECT sum(extra) AS s FROM t');
    expect((await c.query('SELECT * FROM mv')).rows).toEqual([{ s: '5' }]);
    expect((await c.query('SELECT * FROM t')).rows).toEqual([{ id: 1, v: 'new', extra: 5 }]);
  });
});

describe('views on views', () => {
  test('plain views, materialized views on materialized views (two levels), indexes, and the SHOW family', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE sales (id int PRIMARY KEY, region text NOT NULL, amount int)');
    await c.query('CREATE MATERIALIZED VIEW by_region AS SELECT region, sum(amount) AS total, count(*) AS n FROM sales GROUP BY region');
    await c.query('CREATE MATERIALIZED VIEW best AS SELECT max(total) AS best_total FROM by_region');
    await c.query('CREATE MATERIALIZED VIEW best_label AS SELECT best_total * 2 AS doubled FROM best');
    await c.query('CREATE VIEW big_regions AS SELECT region FROM by_region WHERE total > 10');
    await c.query('CREATE VIEW big_count AS SELECT count(*) AS k FROM big_regions');
    await c.query('CREATE INDEX by_region_total ON by_region (total)');

    await c.query("INSERT INTO sales VALUES (1, 'eu', 5), (2, 'eu', 8), (3, 'us', 4)");
    expect((await c.query('SELECT * FROM best_label')).rows).toEqual([{ doubled: '26' }]);
    expect((await c.query('SELECT * FROM big_count')).rows).toEqual([{ k: '1' }]);
    await c.query("UPDATE sales SET amount = 40 WHERE id = 3");
    expect((await c.query('SELECT * FROM best')).rows).toEqual([{ best_total: '40' }]);
    expect((await c.query('SELECT * FROM best_label')).rows).toEqual([{ doubled: '80' }]);
    expect((await c.query('SELECT region FROM big_regions ORDER BY region')).rows).toEqual([{ region: 'eu' }, { region: 'us' }]);
    await c.query("DELETE FROM sales WHERE region = 'us'");
    expect((await c.query('SELECT * FROM best_label')).rows).toEqual([{ doubled: '26' }]);
    // A join of a view with a materialized view.
    expect((await c.query('SELECT b.region, r.n FROM big_regions b JOIN by_region r ON b.region = r.region')).rows).toEqual([{ region: 'eu', n: '2' }]);

    expect(await names(c, 'SHOW TABLES')).toEqual(['sales']);
    expect(await names(c, 'SHOW VIEWS')).toEqual(['big_count', 'big_regions']);
    expect(await names(c, 'SHOW MATERIALIZED VIEWS')).toEqual(['best', 'best_label', 'by_region']);
    expect(await names(c, 'SHOW MATERIALIZED VIEWS FROM public')).toEqual(['best', 'best_label', 'by_region']);
    expect((await c.query('SHOW INDEXES')).rows).toEqual([{ name: 'by_region_total', on: 'by_region', key: '{total}' }]);
    expect((await c.query('SHOW COLUMNS FROM sales')).rows).toEqual([
      { name: 'id', nullable: false, type: 'integer' },
      { name: 'region', nullable: false, type: 'text' },
      { name: 'amount', nullable: true, type: 'integer' },
    ]);
    expect((await c.query('SHOW COLUMNS FROM by_region')).rows.map((r) => r.name)).toEqual(['region', 'total', 'n']);
    expect((await c.query('SHOW CREATE TABLE sales')).rows).toEqual([
      { name: 'sales', create_sql: 'CREATE TABLE sales (id int PRIMARY KEY, region text NOT NULL, amount int)' },
    ]);
    expect((await c.query('SHOW CREATE MATERIALIZED VIEW best')).rows[0].create_sql).toBe('CREATE MATERIALIZED VIEW best AS SELECT max(total) AS best_total FROM by_region');
    expect((await c.query('SHOW CREATE VIEW big_regions')).rows[0].create_sql).toMatch(/^CREATE VIEW big_regions AS SELECT region/);
    expect((await errorOf(c.query('SHOW CREATE VIEW best')))?.code).toBe('42P01');
    expect((await errorOf(c.query('SHOW COLUMNS FROM nope')))?.code).toBe('42P01');
    // Indexes are not relations.
    expect((await errorOf(c.query('SELECT * FROM by_region_total')))?.code).toBe('42P01');
  });

  test('SET, SHOW, RESET of a setting; SHOW ALL; ParameterStatus for reported settings', async () => {
    server = await startTestServer();
    const c = await connect(server);
    const show = async (n: string) => Object.values((await c.query(`SHOW ${n}`)).rows[0])[0];
    expect(await show('application_name')).toBe('');
    await c.query("SET application_name = 'my app'");
    expect(await show('application_name')).toBe('my app');
    // node-postgres keeps ParameterStatus values here.
    expect((c as unknown as { processID: number; _parameterStatus?: unknown }).processID).toBeGreaterThan(0);
    await c.query('SET extra_float_digits TO 2');
    expect(await show('extra_float_digits')).toBe('2');
    expect(await show('EXTRA_FLOAT_DIGITS')).toBe('2');
    await c.query('RESET extra_float_digits');
    expect(await show('extra_float_digits')).toBe('1');
    await c.query("SET statement_timeout = '5s'"); // unknown to weir: remembered
    expect(await show('statement_timeout')).toBe('5s');
    await c.query("SET TIME ZONE 'UTC'");
    expect(await show('timezone')).toBe('UTC');
    expect((await errorOf(c.query("SET TimeZone = 'Europe/Amsterdam'")))?.code).toBe('22023');
    expect((await errorOf(c.query('SHOW no_such_setting')))).toMatchObject({ code: '42704', message: 'unrecognized configuration parameter "no_such_setting"' });
    const all = (await c.query('SHOW ALL')).rows as { name: string; setting: string }[];
    const byName = new Map(all.map((r) => [r.name, r.setting]));
    expect(byName.get('application_name')).toBe('my app');
    expect(byName.get('server_version')).toMatch(/^14/);
    expect(byName.get('statement_timeout')).toBe('5s');
    await c.query('RESET ALL');
    expect(await show('application_name')).toBe('');
    // Settings are per session.
    const d = await connect(server);
    await c.query("SET application_name = 'c only'");
    expect(Object.values((await d.query('SHOW application_name')).rows[0])[0]).toBe('');
  });

  test('SHOW ALL has the three columns of Postgres (name, setting, description)', async () => {
    server = await startTestServer();
    const c = await connect(server);
    const r = await c.query('SHOW ALL');
    expect(r.fields.map((f) => f.name)).toEqual(['name', 'setting', 'description']);
  });

  test('RESET of a custom setting forgets it; RESET ALL forgets custom settings too', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query("SET my.opt = 'x'");
    await c.query('RESET my.opt');
    expect((await errorOf(c.query('SHOW my.opt')))?.code).toBe('42704');
    await c.query("SET my.opt = 'y'");
    await c.query('RESET ALL');
    const all = (await c.query('SHOW ALL')).rows.map((r) => r.name);
    expect(all).not.toContain('my.opt');
  });
});

describe('restart', () => {
  test('tables, views, views on views, indexes and data survive; views keep updating afterwards', async () => {
    server = await startTestServer();
    let c = await connect(server);
    await c.query('CREATE TABLE events (id int PRIMARY KEY, kind text, n int)');
    await c.query('CREATE MATERIALIZED VIEW per_kind AS SELECT kind, sum(n) AS total FROM events GROUP BY kind');
    await c.query('CREATE MATERIALIZED VIEW grand AS SELECT sum(total) AS g, count(*) AS kinds FROM per_kind');
    await c.query('CREATE VIEW heavy AS SELECT kind FROM per_kind WHERE total >= 10');
    await c.query('CREATE INDEX per_kind_total ON per_kind (total)');
    await c.query('CREATE TABLE dropped (x int)');
    await c.query('CREATE MATERIALIZED VIEW dropped_v AS SELECT count(*) AS n FROM dropped');
    await c.query('DROP TABLE dropped CASCADE');
    await c.query("INSERT INTO events VALUES (1, 'a', 4), (2, 'a', 6), (3, 'b', 1)");
    await c.end();
    clients.length = 0;

    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
    c = await connect(server);
    expect(await names(c, 'SHOW TABLES')).toEqual(['events']);
    expect(await names(c, 'SHOW MATERIALIZED VIEWS')).toEqual(['grand', 'per_kind']);
    expect(await names(c, 'SHOW VIEWS')).toEqual(['heavy']);
    expect(await names(c, 'SHOW INDEXES')).toEqual(['per_kind_total']);
    expect((await c.query('SELECT * FROM grand')).rows).toEqual([{ g: '11', kinds: '2' }]);
    expect((await c.query('SELECT * FROM heavy')).rows).toEqual([{ kind: 'a' }]);
    // Still maintained through both levels after the restart.
    await c.query("INSERT INTO events VALUES (4, 'b', 20), (5, 'c', 1)");
    await c.query("DELETE FROM events WHERE id = 1");
    expect((await c.query('SELECT * FROM grand')).rows).toEqual([{ g: '28', kinds: '3' }]);
    expect((await c.query('SELECT kind FROM heavy ORDER BY kind')).rows).toEqual([{ kind: 'b' }]);
    expect((await c.query('SELECT kind, total FROM per_kind ORDER BY kind')).rows).toEqual([
      { kind: 'a', total: '6' },
      { kind: 'b', total: '21' },
      { kind: 'c', total: '1' },
    ]);
    // Names are free after the restart, and new ids do not collide with old ones.
    await c.query('CREATE TABLE dropped (y text)');
    await c.query('CREATE MATERIALIZED VIEW on_both AS SELECT count(*) AS n FROM events JOIN dropped ON true');
    expect((await c.query('SELECT * FROM on_both')).rows).toEqual([{ n: '0' }]);
    // A second restart with the new objects.
    await c.end();
    clients.length = 0;
    await server.close();
    server = await startTestServer({ dataDir });
    c = await connect(server);
    await c.query("INSERT INTO dropped VALUES ('x')");
    expect((await c.query('SELECT * FROM on_both')).rows).toEqual([{ n: '4' }]);
    expect((await c.query('SELECT * FROM grand')).rows).toEqual([{ g: '28', kinds: '3' }]);
  });
});
