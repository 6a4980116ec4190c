// COPY … TO STDOUT and COPY … FROM STDIN over the wire: the bytes of every format and option
// compared with what Postgres itself writes (PGlite, in-process), data read back in CopyData
// messages cut at any byte, psql's \copy to and from a file, and the errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../harness/weir-server.js';
import { runPsql, type PsqlRun } from '../harness/psql.js';
import { RawClient, dataRowValues, errorFields, message, m, types, type BackendMessage } from '../pgwire/raw-client.js';

let server: TestServer;
let client: pg.Client;
let postgres: PGlite;

const TABLE = 'CREATE TABLE items (id int PRIMARY KEY, s text, n numeric(10,2), ok bool, at timestamp, tags text[])';
const ROWS = `INSERT INTO items VALUES
  (1, E'tab\\there|pipe', 1.50, true, '2024-01-02 03:04:05.5', ARRAY['a', 'b c']),
  (2, E'line\\nbreak\\r', NULL, false, NULL, ARRAY[]::text[]),
  (3, 'comma, "quoted"', 3, NULL, '1999-12-31 23:59:59', NULL),
  (4, '', 0, true, '2000-01-01', ARRAY['x,y', NULL]),
  (5, E'back\\\\slash', -2.25, false, '2020-02-29 12:00', ARRAY['"q"']),
  (6, '\\.', 1, true, '2021-01-01', NULL),
  (7, NULL, NULL, NULL, NULL, NULL),
  (8, 'héllo ✓ NULL \\N', 8, true, '2022-06-01', ARRAY['ü'])`;

beforeAll(async () => {
  server = await startTestServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(TABLE);
  await client.query(ROWS);
  postgres = new PGlite();
  await postgres.exec(`${TABLE}; ${ROWS}`);
});
afterAll(async () => {
  await client.end();
  await server.close();
  await postgres.close();
});

/** Runs a COPY … TO STDOUT over a raw connection; returns the CopyData bytes and the messages. */
async function copyOut(sql: string): Promise<{ data: string; msgs: BackendMessage[] }> {
  const c = await RawClient.ready(server.port);
  try {
    c.send(m.query(sql));
    const msgs = await c.readUntil('Z');
    const data = Buffer.concat(msgs.filter((x) => x.type === 'd').map((x) => x.body)).toString('utf8');
    return { data, msgs };
  } finally {
    c.end();
  }
}

/** What Postgres writes for the same COPY (to PGlite's blob device instead of STDOUT). */
async function postgresCopy(sql: string): Promise<string> {
  const r = await postgres.query(sql.replace(/TO STDOUT/, "TO '/dev/blob'"));
  return r.blob!.text();
}

const COPIES = [
  'COPY items TO STDOUT',
  'COPY (SELECT * FROM items ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)',
  'COPY (SELECT * FROM items ORDER BY id) TO STDOUT CSV HEADER',
  "COPY (SELECT * FROM items ORDER BY id) TO STDOUT (FORMAT csv, FORCE_QUOTE *, NULL 'NULL')",
  "COPY (SELECT id, s FROM items ORDER BY id) TO STDOUT (FORMAT csv, DELIMITER '|', QUOTE '''', ESCAPE '\\', FORCE_QUOTE (s))",
  "COPY (SELECT * FROM items ORDER BY id) TO STDOUT (DELIMITER '|', NULL '', HEADER)",
  'COPY (SELECT s FROM items ORDER BY id) TO STDOUT (FORMAT csv)',
  'COPY items (s, id) TO STDOUT (FORMAT text)',
];

describe('COPY … TO STDOUT', () => {
  test.each(COPIES)('%s: the bytes Postgres writes', async (sql) => {
    const { data, msgs } = await copyOut(sql);
    expect(types(msgs)).toMatch(/^Hd+cCZ$/);
    // CopyOutResponse: text format overall and per column.
    const h = msgs[0]!.body;
    expect(h[0]).toBe(0);
    const expected = await postgresCopy(sql);
    // A table without ORDER BY comes out in key order from weir; Postgres's heap order is the insert order, the same here.
    expect(data).toBe(expected);
    const tag = msgs.find((x) => x.type === 'C')!.body.toString('utf8').replace(/\0$/, '');
    expect(tag).toBe('COPY 8');
  });

  test('COPY through the extended protocol: the row limit does not page it', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('', 'COPY (SELECT id FROM items ORDER BY id) TO STDOUT'), m.bind('', ''), m.describe('P', ''), m.execute('', 2), m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('12nHddddddddcCZ');
    c.end();
  });

  test('errors: binary, a server file, an unknown option, an unknown column', async () => {
    const err = async (sql: string) => {
      const { msgs } = await copyOut(sql);
      const e = msgs.find((x) => x.type === 'E');
      return e ? errorFields(e.body) : undefined;
    };
    expect(await err('COPY items TO STDOUT (FORMAT binary)')).toMatchObject({ C: '0A000', M: 'COPY FORMAT binary is not supported' });
    expect(await err("COPY items TO '/tmp/x'")).toMatchObject({ C: '0A000', M: 'COPY to a file is not supported' });
    expect(await err('COPY items TO STDOUT (FROBNICATE)')).toMatchObject({ C: '42601', M: 'option "frobnicate" not recognized' });
    expect(await err('COPY items (nope) TO STDOUT')).toMatchObject({ C: '42703' });
    expect(await err('COPY nothing TO STDOUT')).toMatchObject({ C: '42P01' });
  });
});

describe('COPY … FROM STDIN', () => {
  /** Sends `data` as CopyData messages of `chunk` bytes after a COPY … FROM STDIN; returns the messages up to ReadyForQuery. */
  async function copyIn(sql: string, data: string | Buffer, chunk = 7, end: 'done' | 'fail' = 'done'): Promise<BackendMessage[]> {
    const c = await RawClient.ready(server.port);
    try {
      c.send(m.query(sql));
      const first = await readUntilEither(c, 'G', 'Z');
      if (first[first.length - 1]!.type !== 'G') return first;
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
      for (let i = 0; i < bytes.length; i += chunk) c.send(message('d', bytes.subarray(i, i + chunk)));
      c.send(end === 'done' ? message('c') : message('f', Buffer.from('stopped by the client\0')));
      return [...first, ...(await c.readUntil('Z'))];
    } finally {
      c.end();
    }
  }

  /** The messages up to the first of type `a` or `b`. */
  async function readUntilEither(c: RawClient, a: string, b: string): Promise<BackendMessage[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const i = c.messages.findIndex((x) => x.type === a || x.type === b);
      if (i >= 0) return c.messages.splice(0, i + 1);
      if (Date.now() > deadline) throw new Error(`timeout; got ${types(c.messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function contents(table: string): Promise<unknown[]> {
    return (await client.query(`SELECT * FROM ${table} ORDER BY id`)).rows;
  }

  test.each([
    ['COPY items TO STDOUT', 'COPY copy_in FROM STDIN'],
    ['COPY items TO STDOUT (FORMAT csv, HEADER)', 'COPY copy_in FROM STDIN (FORMAT csv, HEADER)'],
    ["COPY items TO STDOUT (FORMAT csv, DELIMITER ';', NULL 'NULL', QUOTE '''')", "COPY copy_in FROM STDIN (FORMAT csv, DELIMITER ';', NULL 'NULL', QUOTE '''')"],
    ["COPY items TO STDOUT (DELIMITER '|')", "COPY copy_in FROM STDIN (DELIMITER '|')"],
  ])('what Postgres writes with %s reads back with %s, in CopyData cut anywhere', async (out, into) => {
    await client.query(TABLE.replace('items', 'copy_in'));
    try {
      for (const chunk of [1, 5, 4096]) {
        const msgs = await copyIn(into, await postgresCopy(out), chunk);
        expect(types(msgs)).toBe('GCZ');
        expect(msgs[1]!.body.toString('utf8')).toBe('COPY 8\0');
        expect(await contents('copy_in')).toEqual(await contents('items'));
        await client.query('DELETE FROM copy_in');
      }
    } finally {
      await client.query('DROP TABLE copy_in');
    }
  });

  test('a column list: the other columns get their DEFAULT; the rows reach views in one tick', async () => {
    await client.query("CREATE TABLE dflt (id int PRIMARY KEY, note text DEFAULT 'none', v int)");
    await client.query('CREATE MATERIALIZED VIEW dflt_sum AS SELECT count(*) AS n, sum(v) AS s FROM dflt');
    const msgs = await copyIn('COPY dflt (v, id) FROM STDIN WITH (FORMAT csv)', '10,1\n20,2\n30,3');
    expect(types(msgs)).toBe('GCZ');
    expect((await client.query('SELECT * FROM dflt ORDER BY id')).rows).toEqual([
      { id: 1, note: 'none', v: 10 },
      { id: 2, note: 'none', v: 20 },
      { id: 3, note: 'none', v: 30 },
    ]);
    expect((await client.query('SELECT n::int, s::int FROM dflt_sum')).rows).toEqual([{ n: 3, s: 60 }]);
  });

  test('a bad line, a duplicate key or CopyFail writes nothing', async () => {
    await client.query('CREATE TABLE strict (id int PRIMARY KEY, v int NOT NULL)');
    const bad = await copyIn('COPY strict FROM STDIN', '1\t1\n2\tx\n3\t3\n');
    expect(types(bad)).toBe('GEZ');
    expect(errorFields(bad[1]!.body)).toMatchObject({ C: '22P02', M: 'invalid input syntax for type integer: "x"', D: 'COPY strict, line 2, column v: "x"' });
    const dup = await copyIn('COPY strict FROM STDIN (FORMAT csv)', '1,1\n1,2\n');
    expect(errorFields(dup[dup.length - 2]!.body)).toMatchObject({ C: '23505' });
    const nul = await copyIn('COPY strict FROM STDIN', '1\t\\N\n');
    expect(errorFields(nul[nul.length - 2]!.body)).toMatchObject({ C: '23502' });
    const fail = await copyIn('COPY strict FROM STDIN', '1\t1\n', 7, 'fail');
    expect(errorFields(fail[fail.length - 2]!.body)).toMatchObject({ C: '57014', M: 'COPY from stdin failed: stopped by the client' });
    expect(await contents('strict')).toEqual([]);
  });

  test('inside BEGIN … ROLLBACK nothing stays; inside BEGIN … COMMIT all of it does', async () => {
    await client.query('CREATE TABLE txcopy (id int PRIMARY KEY)');
    const c = await RawClient.ready(server.port);
    for (const end of ['ROLLBACK', 'COMMIT']) {
      c.send(m.query('BEGIN; COPY txcopy FROM STDIN'));
      await c.readUntil('G');
      c.send(Buffer.concat([message('d', Buffer.from('1\n2\n')), message('c')]));
      const msgs = await c.readUntil('Z');
      expect(types(msgs)).toBe('CZ');
      expect(msgs[1]!.body[0]).toBe(0x54); // 'T': in a transaction block
      c.send(m.query(end));
      await c.readUntil('Z');
      expect((await contents('txcopy')).length).toBe(end === 'COMMIT' ? 2 : 0);
    }
    c.end();
  });

  test('into something that is not a table', async () => {
    await client.query('CREATE VIEW not_a_table AS SELECT 1 AS id');
    const msgs = await copyIn('COPY not_a_table FROM STDIN', '');
    expect(errorFields(msgs.find((x) => x.type === 'E')!.body)).toMatchObject({ C: '42809', M: 'cannot copy to view "not_a_table"' });
  });

  test('statements after a COPY in the same query string run', async () => {
    await client.query('CREATE TABLE after_copy (id int)');
    const c = await RawClient.ready(server.port);
    c.send(m.query('COPY after_copy FROM STDIN; SELECT count(*) FROM after_copy'));
    await c.readUntil('G');
    c.send(Buffer.concat([message('d', Buffer.from('1\n2\n3\n')), message('c')]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('CTDCZ');
    expect(dataRowValues(msgs[2]!.body)).toEqual(['3']);
    c.end();
  });
});

describe("psql's \\copy", () => {
  const psql = (script: string): Promise<PsqlRun> => runPsql(server.port, script, ['-q', '-v', 'ON_ERROR_STOP=1'], 20_000);

  test('\\copy (SELECT …) TO a file in CSV, then \\copy t FROM it', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'items.csv');
    const out = await psql(`\\copy (SELECT * FROM items ORDER BY id) TO '${file}' CSV HEADER\n`);
    expect(out.stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(await postgresCopy('COPY (SELECT * FROM items ORDER BY id) TO STDOUT CSV HEADER'));
    await client.query(TABLE.replace('items', 'items_back'));
    const load = await psql(`\\copy items_back FROM '${file}' CSV HEADER\nSELECT count(*) FROM items_back;\n`);
    expect(load.stderr).toBe('');
    expect(load.stdout).toMatch(/\b8\b/);
    expect((await client.query('SELECT * FROM items_back ORDER BY id')).rows).toEqual((await client.query('SELECT * FROM items ORDER BY id')).rows);
  });

  test('\\copy … FROM a text file with an error reports the line, and loads nothing', async () => {
    const file = join(tempDataDir(), 'bad.txt');
    writeFileSync(file, '1\tok\n2\n');
    await client.query('CREATE TABLE psql_bad (id int, s text)');
    const r = await psql(`\\copy psql_bad FROM '${file}'\n`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: {2}missing data for column "s"/);
    expect((await client.query('SELECT count(*)::int AS n FROM psql_bad')).rows).toEqual([{ n: 0 }]);
  });
});
