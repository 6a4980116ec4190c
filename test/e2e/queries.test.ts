// Queries as applications write them: prepared statements with parameters (node-postgres
// `values`, postgres.js tagged templates) for SELECT, INSERT/UPDATE … RETURNING and DELETE;
// ORDER BY / LIMIT / OFFSET, DISTINCT ON, CTEs, top-k views, scalar subqueries; and every
// common type inserted and read back, in text (both drivers) and binary (raw protocol).
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { dataRowValues, errorFields, m, RawClient } from '../pgwire/raw-client.js';

let server: TestServer;
let c: pg.Client;
let sql: postgres.Sql;
beforeAll(async () => {
  server = await startTestServer();
  c = new pg.Client({ connectionString: server.url });
  await c.connect();
  // fetch_types: false keeps these tests to one round trip per query; catalog-clients.test.ts
  // connects with the defaults (the pg_type probe).
  sql = postgres({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir', max: 1, fetch_types: false, onnotice: () => undefined });
});
afterAll(async () => {
  await c.end();
  await sql.end();
  await server.close();
});

describe('prepared statements with parameters', () => {
  test('node-postgres: SELECT, INSERT … RETURNING, UPDATE … RETURNING, DELETE with $n', async () => {
    await c.query('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), tags text[])');
    const ins = await c.query('INSERT INTO items VALUES ($1, $2, $3, $4), ($5, $6, $7, $8) RETURNING id, name, price * 2 AS double', [
      1, 'apple', '1.25', ['red', 'fruit'], 2, 'pear', '2.50', null,
    ]);
    expect(ins.command).toBe('INSERT');
    expect(ins.rowCount).toBe(2);
    expect(ins.rows).toEqual([
      { id: 1, name: 'apple', double: '2.50' },
      { id: 2, name: 'pear', double: '5.00' },
    ]);
    const named = { name: 'by_price', text: 'SELECT id, name FROM items WHERE price >= $1 ORDER BY id', values: ['2'] };
    expect((await c.query(named)).rows).toEqual([{ id: 2, name: 'pear' }]);
    expect((await c.query({ ...named, values: ['0'] })).rows.map((r) => r.id)).toEqual([1, 2]);
    const upd = await c.query('UPDATE items SET price = price + $1 WHERE name = $2 RETURNING *', ['0.75', 'apple']);
    expect(upd.command).toBe('UPDATE');
    expect(upd.rows).toEqual([{ id: 1, name: 'apple', price: '2.00', tags: ['red', 'fruit'] }]);
    const none = await c.query('UPDATE items SET price = 0 WHERE id = $1 RETURNING id', [99]);
    expect([none.rowCount, none.rows]).toEqual([0, []]);
    const del = await c.query('DELETE FROM items WHERE id = $1', [2]);
    expect([del.command, del.rowCount]).toEqual(['DELETE', 1]);
    const delRet = await c.query('DELETE FROM items WHERE id = $1 RETURNING name', [1]);
    expect(delRet.rows).toEqual([{ name: 'apple' }]);
    expect((await c.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([{ n: 0 }]);
    // Parameter type errors are the client's fault: 22P02.
    expect(await c.query('SELECT * FROM items WHERE id = $1', ['not a number']).then(() => 'ok', (e) => e.code)).toBe('22P02');
  });

  test('postgres.js tagged templates: the same round trip', async () => {
    await sql`CREATE TABLE people (id int PRIMARY KEY, name text, age int)`;
    const inserted = await sql`INSERT INTO people VALUES (${1}, ${'ann'}, ${30}), (${2}, ${'bo'}, ${null}) RETURNING id, name`;
    expect([...inserted]).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bo' },
    ]);
    expect(inserted.count).toBe(2);
    const minAge = 18;
    expect([...(await sql`SELECT name FROM people WHERE age > ${minAge}`)]).toEqual([{ name: 'ann' }]);
    const updated = await sql`UPDATE people SET age = ${41} WHERE id = ${2} RETURNING age`;
    expect([...updated]).toEqual([{ age: 41 }]);
    const deleted = await sql`DELETE FROM people WHERE name = ${'ann'}`;
    expect(deleted.count).toBe(1);
    expect([...(await sql`SELECT * FROM people`)]).toEqual([{ id: 2, name: 'bo', age: 41 }]);
    // A dynamic identifier and the IN-list helper.
    const tbl = 'people';
    expect([...(await sql`SELECT id FROM ${sql(tbl)} WHERE id IN ${sql([1, 2, 3])}`)]).toEqual([{ id: 2 }]);
  });
});

test("postgres.js's default start-up probe (fetch_types: true) of pg_catalog.pg_type", async () => {
  // postgres.js with default options first runs this query to learn array types
  // (test/e2e/catalog-clients.test.ts connects with those defaults).
  const r = await c.query(`
      select b.oid, b.typarray
      from pg_catalog.pg_type a
      left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A'
      group by b.oid, b.typarray
      order by b.oid`);
  expect(r.rows.length).toBeGreaterThan(0);
  expect(r.rows).toContainEqual({ oid: 23, typarray: 1007 });
});

describe('query shapes', () => {
  beforeAll(async () => {
    await c.query('CREATE TABLE scores (id int PRIMARY KEY, player text, game text, points int)');
    const rows: string[] = [];
    let id = 1;
    for (const player of ['ann', 'bo', 'cy', 'di']) {
      for (const game of ['chess', 'go']) rows.push(`(${id++}, '${player}', '${game}', ${(id * 37) % 50})`);
    }
    await c.query(`INSERT INTO scores VALUES ${rows.join(',')}`);
  });

  test('ORDER BY / LIMIT / OFFSET, with parameters', async () => {
    const all = (await c.query('SELECT id, points FROM scores ORDER BY points DESC, id')).rows;
    const page = (await c.query('SELECT id, points FROM scores ORDER BY points DESC, id LIMIT 3 OFFSET 2')).rows;
    expect(page).toEqual(all.slice(2, 5));
    expect((await c.query('SELECT id FROM scores ORDER BY id LIMIT 0')).rows).toEqual([]);
    expect((await c.query('SELECT id FROM scores ORDER BY id OFFSET 7')).rows).toEqual([{ id: 8 }]);
    expect((await c.query('SELECT id FROM scores ORDER BY 1 DESC FETCH FIRST 2 ROWS ONLY')).rows).toEqual([{ id: 8 }, { id: 7 }]);
    // NULLs sort last ascending, first descending (Postgres's default).
    const n = (await c.query('SELECT x FROM (VALUES (1), (NULL), (2)) v(x) ORDER BY x')).rows.map((r) => r.x);
    expect(n).toEqual([1, 2, null]);
    const d = (await c.query('SELECT x FROM (VALUES (1), (NULL), (2)) v(x) ORDER BY x DESC')).rows.map((r) => r.x);
    expect(d).toEqual([null, 2, 1]);
  });

  test('LIMIT $1 OFFSET $2 with parameters', async () => {
    const all = (await c.query('SELECT id FROM scores ORDER BY id')).rows;
    const page = (await c.query('SELECT id FROM scores ORDER BY id LIMIT $1 OFFSET $2', [3, 2])).rows;
    expect(page).toEqual(all.slice(2, 5));
  });

  test('a scalar subquery returning more than one row is an error (21000), not extra rows', async () => {
    // Postgres: ERROR 21000 "more than one row returned by a subquery used as an expression".
    const err = await c.query('SELECT (SELECT id FROM scores) AS x').then(
      (r) => `ok: ${r.rowCount} rows`,
      (e: { code: string }) => e.code,
    );
    expect(err).toBe('21000');
    expect(await c.query('SELECT 1 AS y WHERE 2 = (SELECT id FROM scores)').then(() => 'ok', (e: { code: string }) => e.code)).toBe('21000');
    // One row, or none (NULL), is fine.
    expect((await c.query('SELECT (SELECT id FROM scores WHERE id = 3) AS a, (SELECT id FROM scores WHERE id < 0) AS b')).rows).toEqual([{ a: 3, b: null }]);
  });

  test('DISTINCT ON, CTEs, scalar subqueries', async () => {
    const best = (await c.query('SELECT DISTINCT ON (game) game, player, points FROM scores ORDER BY game, points DESC, player')).rows;
    const expected = (await c.query('SELECT game, player, points FROM scores ORDER BY game, points DESC, player')).rows;
    expect(best).toEqual(['chess', 'go'].map((g) => expected.find((r) => r.game === g)));
    const cte = await c.query(`WITH totals AS (SELECT player, sum(points) AS t FROM scores GROUP BY player),
      ranked AS (SELECT player, t FROM totals WHERE t > (SELECT avg(t) FROM totals))
      SELECT player FROM ranked ORDER BY player`);
    const totals = new Map<string, number>();
    for (const r of expected) totals.set(r.player, (totals.get(r.player) ?? 0) + r.points);
    const avg = [...totals.values()].reduce((a, b) => a + b, 0) / totals.size;
    expect(cte.rows.map((r) => r.player)).toEqual([...totals].filter(([, t]) => t > avg).map(([p]) => p).sort());
    const sub = await c.query('SELECT player, points, (SELECT max(points) FROM scores) - points AS behind FROM scores WHERE id = 1');
    const max = Math.max(...expected.map((r) => r.points));
    expect(sub.rows).toEqual([{ player: 'ann', points: expected.find((r) => r.player === 'ann' && r.game === 'chess').points, behind: max - sub.rows[0].points }]);
    // A correlated scalar subquery.
    const corr = await c.query(`SELECT s.id FROM scores s WHERE s.points = (SELECT max(points) FROM scores t WHERE t.game = s.game) ORDER BY s.id`);
    expect(corr.rows.length).toBeGreaterThanOrEqual(2);
  });

  test('a row_number() top-k materialized view follows inserts, updates and deletes', async () => {
    await c.query(`CREATE MATERIALIZED VIEW top2 AS
      SELECT game, player, points FROM (
        SELECT game, player, points, row_number() OVER (PARTITION BY game ORDER BY points DESC, player) AS rn FROM scores
      ) t WHERE rn <= 2`);
    const check = async () => {
      const view = (await c.query('SELECT game, player, points FROM top2 ORDER BY game, points DESC, player')).rows;
      const all = (await c.query('SELECT game, player, points FROM scores ORDER BY game, points DESC, player')).rows;
      const want = ['chess', 'go'].flatMap((g) => all.filter((r) => r.game === g).slice(0, 2));
      expect(view).toEqual(want);
    };
    await check();
    await c.query("INSERT INTO scores VALUES (100, 'ed', 'chess', 1000)");
    await check();
    await c.query('UPDATE scores SET points = -1 WHERE id = 100');
    await check();
    await c.query("DELETE FROM scores WHERE game = 'go' AND points = (SELECT max(points) FROM scores WHERE game = 'go')");
    await check();
    await c.query('DELETE FROM scores WHERE id = 100');
    await check();
  });
});

// Every type: what goes in, the text a driver reads back, and the binary form.
interface TypeCase {
  type: string;
  literal: string;
  text: string;
  /** Postgres's binary encoding of the value (hex), when checked. */
  binary?: string;
}
const TYPES: TypeCase[] = [
  { type: 'int2', literal: '-32768', text: '-32768', binary: '8000' },
  { type: 'int4', literal: '2147483647', text: '2147483647', binary: '7fffffff' },
  { type: 'int8', literal: '9007199254740993', text: '9007199254740993', binary: '0020000000000001' },
  { type: 'float8', literal: '0.1', text: '0.1', binary: '3fb999999999999a' },
  { type: 'numeric(10,2)', literal: '12345678.9', text: '12345678.90', binary: '0003000100000002' + '04d2' + '162e' + '2328' },
  { type: 'text', literal: "'héllo, ''world'''", text: "héllo, 'world'", binary: Buffer.from("héllo, 'world'").toString('hex') },
  { type: 'bool', literal: 'true', text: 't', binary: '01' },
  { type: 'date', literal: "'2024-02-29'", text: '2024-02-29', binary: ((Date.UTC(2024, 1, 29) - Date.UTC(2000, 0, 1)) / 86_400_000).toString(16).padStart(8, '0') },
  { type: 'timestamp', literal: "'2024-02-29 13:14:15.123456'", text: '2024-02-29 13:14:15.123456' },
  { type: 'timestamptz', literal: "'2024-02-29 13:14:15+02'", text: '2024-02-29 11:14:15+00' },
  { type: 'interval', literal: "'1 year 2 mons 3 days 04:05:06.5'", text: '1 year 2 mons 3 days 04:05:06.5' },
  { type: 'jsonb', literal: `'{"b": [1, 2], "a": "x"}'`, text: '{"a": "x", "b": [1, 2]}', binary: '01' + Buffer.from('{"a": "x", "b": [1, 2]}').toString('hex') },
  { type: 'bytea', literal: "'\\xdeadbeef'", text: '\\xdeadbeef', binary: 'deadbeef' },
  { type: 'uuid', literal: "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", text: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', binary: 'a0eebc999c0b4ef8bb6d6bb9bd380a11' },
  { type: 'int4[]', literal: "'{1,NULL,3}'", text: '{1,NULL,3}' },
  { type: 'text[]', literal: `ARRAY['a b', 'c"d', NULL]`, text: '{"a b","c\\"d",NULL}' },
];
// Computed binary forms.
// The interval's binary form: microseconds (int64), days (int32), months (int32).
TYPES.find((t) => t.type === 'interval')!.binary = (4n * 3600n * 1000000n + 5n * 60n * 1000000n + 6500000n).toString(16).padStart(16, '0') + '00000003' + '0000000e';
// The timestamp's: microseconds since 2000-01-01.
TYPES.find((t) => t.type === 'timestamp')!.binary = ((BigInt(Date.UTC(2024, 1, 29, 13, 14, 15)) - BigInt(Date.UTC(2000, 0, 1))) * 1000n + 123456n).toString(16).padStart(16, '0');
TYPES.find((t) => t.type === 'timestamptz')!.binary = ((BigInt(Date.UTC(2024, 1, 29, 11, 14, 15)) - BigInt(Date.UTC(2000, 0, 1))) * 1000n).toString(16).padStart(16, '0');

describe('types round-trip', () => {
  beforeAll(async () => {
    const cols = TYPES.map((t, i) => `c${i} ${t.type}`).join(', ');
    await c.query(`CREATE TABLE typed (id int PRIMARY KEY, ${cols})`);
    await c.query(`INSERT INTO typed VALUES (1, ${TYPES.map((t) => t.literal).join(', ')})`);
    await c.query(`INSERT INTO typed (id) VALUES (2)`);
    await c.query(`CREATE MATERIALIZED VIEW typed_mv AS SELECT * FROM typed`);
  });

  test('text format through the simple query protocol (as psql reads it)', async () => {
    const r = await c.query({ text: 'SELECT * FROM typed WHERE id = 1', rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
    expect(r.rows[0].slice(1)).toEqual(TYPES.map((t) => t.text));
    const nulls = await c.query({ text: 'SELECT * FROM typed WHERE id = 2', rowMode: 'array' });
    expect(nulls.rows[0].slice(1)).toEqual(TYPES.map(() => null));
    // The materialized view keeps the same values.
    const mv = await c.query({ text: 'SELECT * FROM typed_mv WHERE id = 1', rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
    expect(mv.rows[0]).toEqual(r.rows[0]);
  });

  test('node-postgres parses the values into JS types', async () => {
    const r = (await c.query('SELECT * FROM typed WHERE id = 1')).rows[0];
    const v = (t: string) => r[`c${TYPES.findIndex((x) => x.type === t)}`];
    expect(v('int2')).toBe(-32768);
    expect(v('int8')).toBe('9007199254740993');
    expect(v('float8')).toBe(0.1);
    expect(v('bool')).toBe(true);
    expect(v('timestamptz')).toEqual(new Date(Date.UTC(2024, 1, 29, 11, 14, 15)));
    expect(v('jsonb')).toEqual({ a: 'x', b: [1, 2] });
    expect(v('bytea')).toEqual(Buffer.from('deadbeef', 'hex'));
    expect(v('int4[]')).toEqual([1, null, 3]);
    expect(v('text[]')).toEqual(['a b', 'c"d', null]);
  });

  test('every value goes back in as a parameter and compares equal (pg, text parameters)', async () => {
    const raw = await c.query({ text: 'SELECT * FROM typed WHERE id = 1', rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
    const values = raw.rows[0].slice(1) as string[];
    const conds = TYPES.map((t, i) => `c${i} = $${i + 1}::${t.type}`).join(' AND ');
    // jsonb, float and arrays all have '=' in Postgres.
    const r = await c.query(`SELECT id FROM typed WHERE ${conds}`, values);
    expect(r.rows).toEqual([{ id: 1 }]);
    // And an INSERT with all of them as parameters reads back identically.
    await c.query(`INSERT INTO typed VALUES (3, ${TYPES.map((t, i) => `$${i + 1}::${t.type}`).join(', ')})`, values);
    const back = await c.query({ text: 'SELECT * FROM typed WHERE id = 3', rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
    expect(back.rows[0].slice(1)).toEqual(values);
    await c.query('DELETE FROM typed WHERE id = 3');
  });

  test('postgres.js reads the same values (text format, its own parsers)', async () => {
    const [r] = await sql`SELECT * FROM typed WHERE id = ${1}`;
    const v = (t: string) => r![`c${TYPES.findIndex((x) => x.type === t)}`];
    expect(v('int4')).toBe(2147483647);
    expect(v('int8')).toBe('9007199254740993');
    expect(v('numeric(10,2)')).toBe('12345678.90');
    expect(v('text')).toBe("héllo, 'world'");
    expect(v('bool')).toBe(true);
    expect(v('timestamptz')).toEqual(new Date(Date.UTC(2024, 1, 29, 11, 14, 15)));
    expect(v('jsonb')).toEqual({ a: 'x', b: [1, 2] });
    expect(v('bytea')).toEqual(Buffer.from('deadbeef', 'hex'));
    expect(v('uuid')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    // postgres.js serializes JS values as parameters: a Date, a Buffer, an object as jsonb.
    const [p] = await sql`SELECT ${new Date(Date.UTC(2020, 0, 2, 3, 4, 5))}::timestamptz AS ts, ${Buffer.from([1, 2])}::bytea AS b, ${sql.json({ k: [true] })}::jsonb AS j`;
    expect(p).toEqual({ ts: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)), b: Buffer.from([1, 2]), j: { k: [true] } });
  });

  test('binary result format (format code 1): Postgres byte layouts', async () => {
    const raw = await RawClient.ready(server.port);
    try {
      const cols = TYPES.map((t, i) => (t.binary ? `c${i}` : null)).filter((x) => x !== null);
      raw.send(Buffer.concat([m.parse('', `SELECT ${cols.join(', ')} FROM typed WHERE id = 1`), m.bind('', '', [], [], [1]), m.execute(''), m.sync()]));
      const msgs = await raw.readUntil('Z');
      const err = msgs.find((x) => x.type === 'E');
      expect(err && errorFields(err.body)).toBeUndefined();
      const row = msgs.find((x) => x.type === 'D')!;
      const got = binaryValues(row.body);
      const want = TYPES.filter((t) => t.binary).map((t) => t.binary);
      expect(Object.fromEntries(got.map((g, i) => [TYPES.filter((t) => t.binary)[i]!.type, g]))).toEqual(
        Object.fromEntries(want.map((w, i) => [TYPES.filter((t) => t.binary)[i]!.type, w])),
      );
      // Text format (code 0) is what dataRowValues reads.
      raw.send(Buffer.concat([m.parse('', 'SELECT c1 FROM typed WHERE id = 1'), m.bind('', '', [], [], [0]), m.execute(''), m.sync()]));
      const t = await raw.readUntil('Z');
      expect(dataRowValues(t.find((x) => x.type === 'D')!.body)).toEqual(['2147483647']);
    } finally {
      raw.end();
    }
  });

  test('binary parameters (format code 1) are decoded', async () => {
    const raw = await RawClient.ready(server.port);
    try {
      const i8 = Buffer.alloc(8);
      i8.writeBigInt64BE(9007199254740993n);
      const f8 = Buffer.alloc(8);
      f8.writeDoubleBE(0.1);
      raw.send(
        Buffer.concat([
          m.parse('', 'SELECT $1::int8 AS a, $2::float8 AS b, $3::bytea AS c', [20, 701, 17]),
          m.bind('', '', [i8, f8, Buffer.from('deadbeef', 'hex')], [1]),
          m.execute(''),
          m.sync(),
        ]),
      );
      const msgs = await raw.readUntil('Z');
      const err = msgs.find((x) => x.type === 'E');
      expect(err && errorFields(err.body)).toBeUndefined();
      expect(dataRowValues(msgs.find((x) => x.type === 'D')!.body)).toEqual(['9007199254740993', '0.1', '\\xdeadbeef']);
    } finally {
      raw.end();
    }
  });
});

function binaryValues(body: Buffer): (string | null)[] {
  const n = body.readInt16BE(0);
  let pos = 2;
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(pos);
    pos += 4;
    if (len === -1) out.push(null);
    else {
      out.push(body.subarray(pos, pos + len).toString('hex'));
      pos += len;
    }
  }
  return out;
}
