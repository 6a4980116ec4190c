// The README's first session, as a user runs it: node-postgres over the wire, then the
// same data directory reopened (a restart) with the view still there and still updating.
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(s: TestServer): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: s.url });
  await client.connect();
  return client;
}

describe('the first session', () => {
  test('tables, a join-aggregate view, writes, and reads after restart', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE customers (name text PRIMARY KEY, country text)');
    await c.query('CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), placed_at timestamp)');
    await c.query(`CREATE MATERIALIZED VIEW revenue AS
      SELECT c.country, count(*) AS orders, sum(o.amount) AS total
      FROM orders o JOIN customers c ON o.customer = c.name GROUP BY c.country`);
    await c.query(`INSERT INTO customers VALUES ('ann','NL'),('bo','SE')`);
    await c.query(`INSERT INTO orders VALUES (1,'ann',10.50,now()),(2,'bo',3,now())`);
    let r = await c.query('SELECT * FROM revenue ORDER BY country');
    expect(r.rows).toEqual([
      { country: 'NL', orders: '1', total: '10.50' },
      { country: 'SE', orders: '1', total: '3.00' },
    ]);
    await c.query(`UPDATE orders SET amount = 20 WHERE id = 2; DELETE FROM customers WHERE name = 'ann'`);
    r = await c.query('SELECT * FROM revenue ORDER BY country');
    expect(r.rows).toEqual([{ country: 'SE', orders: '1', total: '20.00' }]);

    const plan = await c.query('EXPLAIN SELECT * FROM revenue');
    expect(plan.rows.map((x) => x['QUERY PLAN']).join('\n')).toMatch(/revenue/);
    await c.end();

    // Restart on the same data directory.
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
    const c2 = await connect(server);
    r = await c2.query('SELECT * FROM revenue ORDER BY country');
    expect(r.rows).toEqual([{ country: 'SE', orders: '1', total: '20.00' }]);
    await c2.query(`INSERT INTO customers VALUES ('ann','NL')`);
    r = await c2.query('SELECT country, total FROM revenue ORDER BY country');
    expect(r.rows).toEqual([
      { country: 'NL', total: '10.50' },
      { country: 'SE', total: '20.00' },
    ]);
    await c2.end();
  });

  test('errors carry SQLSTATEs and leave nothing behind', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)');
    const code = async (sql: string) => (await c.query(sql).then(() => 'ok', (e: { code: string }) => e.code));
    expect(await code('SELECT * FROM nope')).toBe('42P01');
    expect(await code('SELECT nope FROM t')).toBe('42703');
    expect(await code('SELEC 1')).toBe('42601');
    expect(await code('INSERT INTO t VALUES (1, NULL)')).toBe('23502');
    expect(await code('INSERT INTO t VALUES (1, 1), (1, 2)')).toBe('23505');
    expect(await code('INSERT INTO t VALUES (1, 1)')).toBe('ok');
    expect(await code('INSERT INTO t VALUES (1, 3)')).toBe('23505');
    expect((await c.query('SELECT * FROM t')).rows).toEqual([{ id: 1, v: 1 }]);
    await c.end();
  });

  test('division by zero inside a view: the view errors, others carry on, and it recovers', async () => {
    server = await startTestServer();
    const c = await connect(server);
    await c.query('CREATE TABLE t (id int PRIMARY KEY, a int, b int)');
    await c.query('CREATE MATERIALIZED VIEW ratios AS SELECT id, a / b AS r FROM t');
    await c.query('CREATE MATERIALIZED VIEW total AS SELECT sum(a) AS s FROM t');
    await c.query('INSERT INTO t VALUES (1, 10, 2), (2, 5, 0)');
    const err = await c.query('SELECT * FROM ratios').then(
      () => undefined,
      (e: { code: string; message: string }) => e,
    );
    expect(err?.code).toBe('22012');
    expect(err?.message).toBe('division by zero');
    expect((await c.query('SELECT * FROM total')).rows).toEqual([{ s: '15' }]);
    await c.query('DELETE FROM t WHERE id = 2');
    expect((await c.query('SELECT * FROM ratios')).rows).toEqual([{ id: 1, r: 5 }]);
    await c.end();
  });
});
