// SUBSCRIBE as clients use it: psql prints rows as they commit and stops at Ctrl-C (a
// CancelRequest); node-postgres reads through DECLARE … CURSOR FOR SUBSCRIBE and FETCH; two
// subscribers during a stream of writes each see exactly the view's changes (the snapshot plus
// the sum of the diffs is the view's contents at the last tick); a client that stops reading is
// cut off (54000) while writes go on; a dropped view or a disconnect ends a subscription.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { RawClient, cancelRequest, errorFields, m, startupPacket, types, type BackendMessage } from '../pgwire/raw-client.js';

let server: TestServer;
let writer: pg.Client;
const clients: pg.Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  writer = await connect();
});
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  await server.close();
});

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  clients.push(c);
  return c;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A raw connection with its backend key (for CancelRequest). */
async function rawSession(): Promise<{ c: RawClient; pid: number; key: number }> {
  const c = await RawClient.connect(server.port);
  c.send(startupPacket());
  const k = (await c.readUntil('Z')).find((x) => x.type === 'K')!;
  return { c, pid: k.body.readInt32BE(0), key: k.body.readInt32BE(4) };
}

async function cancel(pid: number, key: number): Promise<void> {
  const k = await RawClient.connect(server.port);
  k.send(cancelRequest(pid, key));
  await k.untilClosed();
}

/** The CopyData lines among messages, as arrays of fields (text format). */
function copyLines(msgs: BackendMessage[]): string[][] {
  return msgs.filter((x) => x.type === 'd').map((x) => x.body.toString('utf8').replace(/\n$/, '').split('\t'));
}

describe('psql', () => {
  /** psql running one statement, its output line-buffered so rows show as they come; Ctrl-C is SIGINT. */
  function psqlRunning(sql: string) {
    const child = spawn('stdbuf', ['-oL', 'psql', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'weir', 'weir', '-X', '-q', '-c', sql], {
      env: { ...process.env, PGCONNECT_TIMEOUT: '5', PAGER: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    return { child, stdout: () => stdout, stderr: () => stderr, exited };
  }

  test('SUBSCRIBE prints the snapshot, then each commit as it happens, until Ctrl-C', async () => {
    await writer.query('CREATE TABLE psql_t (id int PRIMARY KEY, name text)');
    await writer.query("INSERT INTO psql_t VALUES (1, 'one')");
    await writer.query('CREATE MATERIALIZED VIEW psql_v AS SELECT id, upper(name) AS name FROM psql_t');
    const listeners = server.weir.coord.tickListenerCount;
    const p = psqlRunning('SUBSCRIBE psql_v');
    await until('the snapshot', () => /\t1\t1\tONE\n/.test(p.stdout()));
    const snapshotTick = Number(p.stdout().split('\t')[0]);
    expect(p.stdout()).toBe(`${snapshotTick}\t1\t1\tONE\n`);

    await writer.query("INSERT INTO psql_t VALUES (2, 'two')");
    await until('the insert', () => /\t1\t2\tTWO\n/.test(p.stdout()));
    await writer.query("UPDATE psql_t SET name = 'uno' WHERE id = 1");
    await until('the update', () => /\t1\t1\tUNO\n/.test(p.stdout()));
    const lines = p.stdout().trimEnd().split('\n').map((l) => l.split('\t'));
    // The update is one tick: the old row retracted, then the new one, at the same timestamp.
    expect(lines.slice(1).map((l) => l.slice(1))).toEqual([
      ['1', '2', 'TWO'],
      ['-1', '1', 'ONE'],
      ['1', '1', 'UNO'],
    ]);
    const ts = lines.map((l) => Number(l[0]));
    expect(ts[1]).toBeGreaterThan(ts[0]!);
    expect(ts[2]).toBeGreaterThan(ts[1]!);
    expect(ts[3]).toBe(ts[2]);

    p.child.kill('SIGINT');
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/ERROR: {2}canceling statement due to user request/);
    await until('the subscription to end', () => server.weir.coord.tickListenerCount === listeners);
  });

  test('COPY (SUBSCRIBE … WITH (PROGRESS)) TO STDOUT WITH (FORMAT csv, HEADER)', async () => {
    await writer.query('CREATE TABLE psql_c (id int, note text)');
    const p = psqlRunning('COPY (SUBSCRIBE (SELECT id, note FROM psql_c WHERE id > 0) WITH (PROGRESS, SNAPSHOT = false)) TO STDOUT WITH (FORMAT csv, HEADER)');
    await until('the header and the first progress row', () => /^mz_timestamp,mz_progressed,mz_diff,id,note\n\d+,t,,,\n/.test(p.stdout()));
    await writer.query("INSERT INTO psql_c VALUES (1, 'a, \"b\"'), (-1, 'filtered out')");
    await until('the insert', () => p.stdout().includes(',f,1,1,"a, ""b"""\n'));
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(1);
    expect(p.stdout()).not.toMatch(/filtered out/);
  });
});

describe('over the wire', () => {
  test('CancelRequest ends a SUBSCRIBE with 57014; the connection goes on', async () => {
    await writer.query('CREATE TABLE raw_t (k int PRIMARY KEY, v text)');
    await writer.query("INSERT INTO raw_t VALUES (1, 'a'), (2, 'b')");
    const { c, pid, key } = await rawSession();
    c.send(m.query('SUBSCRIBE raw_t'));
    await until('the snapshot', () => c.messages.filter((x) => x.type === 'd').length === 2);
    await writer.query("DELETE FROM raw_t WHERE k = 1; INSERT INTO raw_t VALUES (3, 'c')");
    await until('the changes', () => c.messages.filter((x) => x.type === 'd').length === 4);
    await cancel(pid, key);
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toMatch(/^Hd{4}EZ$/);
    const lines = copyLines(msgs);
    expect(lines.map((l) => l.slice(1))).toEqual([
      ['1', '1', 'a'],
      ['1', '2', 'b'],
      ['-1', '1', 'a'],
      ['1', '3', 'c'],
    ]);
    // CopyOutResponse: text, 4 columns (mz_timestamp, mz_diff, k, v).
    expect(msgs[0]!.body.readInt16BE(1)).toBe(4);
    expect(errorFields(msgs.find((x) => x.type === 'E')!.body)).toMatchObject({ C: '57014', M: 'canceling statement due to user request' });
    c.send(m.query('SELECT 1'));
    expect(types(await c.readUntil('Z'))).toBe('TDCZ');
    c.end();
  });

  test('errors in the query point into the statement', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('SUBSCRIBE (SELECT nope FROM raw_t)'));
    const msgs = await c.readUntil('Z');
    expect(errorFields(msgs.find((x) => x.type === 'E')!.body)).toMatchObject({ C: '42703', P: '19' });
    c.send(m.query('SUBSCRIBE pg_class'));
    expect(errorFields((await c.readUntil('Z')).find((x) => x.type === 'E')!.body)).toMatchObject({ C: '42P01' });
    c.send(m.query('SUBSCRIBE (SELECT * FROM pg_class)'));
    expect(errorFields((await c.readUntil('Z')).find((x) => x.type === 'E')!.body)).toMatchObject({ C: '0A000' });
    c.end();
  });

  test('a client that goes away ends its subscription', async () => {
    const before = server.weir.coord.tickListenerCount;
    const c = await RawClient.ready(server.port);
    c.send(m.query('SUBSCRIBE raw_t WITH (SNAPSHOT = false)'));
    await c.readUntil('H');
    expect(server.weir.coord.tickListenerCount).toBe(before + 1);
    c.end();
    await until('the subscription to end', () => server.weir.coord.tickListenerCount === before);
    // A FETCH waiting (without a timeout) for a view that does not change stops too.
    const f = await RawClient.ready(server.port);
    f.send(m.query('BEGIN; DECLARE w CURSOR FOR SUBSCRIBE raw_t WITH (SNAPSHOT = false); FETCH ALL w'));
    await until('the cursor', () => server.weir.coord.tickListenerCount === before + 1);
    f.end();
    await until('the cursor to close', () => server.weir.coord.tickListenerCount === before);
  });

  test('dropping the subscribed view ends the subscription with an error', async () => {
    await writer.query('CREATE MATERIALIZED VIEW raw_v AS SELECT count(*) AS n FROM raw_t');
    const c = await RawClient.ready(server.port);
    c.send(m.query('SUBSCRIBE raw_v'));
    await c.readUntil('d');
    await writer.query('DROP MATERIALIZED VIEW raw_v');
    const msgs = await c.readUntil('Z');
    expect(errorFields(msgs.find((x) => x.type === 'E')!.body)).toMatchObject({
      C: '42P01',
      M: 'subscribe has been terminated because underlying relation "raw_v" was dropped',
    });
    c.end();
  });

  test('a client that stops reading is cut off with 54000, and writes never wait for it', async () => {
    await writer.query('CREATE TABLE slow_t (id int PRIMARY KEY, payload text)');
    const limit = server.weir.coord.subscribeBufferRows;
    server.weir.coord.subscribeBufferRows = 500;
    try {
      const before = server.weir.coord.tickListenerCount;
      const slow = await RawClient.ready(server.port);
      const fast = await RawClient.ready(server.port);
      slow.send(m.query('SUBSCRIBE slow_t'));
      fast.send(m.query('SUBSCRIBE slow_t'));
      await slow.readUntil('H');
      await fast.readUntil('H');
      slow.socket.pause(); // reads nothing more: the socket's buffers fill, then the subscription's
      const payload = 'x'.repeat(1000);
      const started = Date.now();
      for (let batch = 0; batch < 40; batch++) {
        const values = Array.from({ length: 400 }, (_, i) => `(${batch * 400 + i}, '${payload}')`).join(', ');
        await writer.query(`INSERT INTO slow_t VALUES ${values}`);
        // The fast client keeps reading (its RawClient drains the socket).
        fast.messages.splice(0);
      }
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(30_000);
      // The slow subscription is gone while its client still has not read anything.
      await until('the slow subscription to be cut off', () => server.weir.coord.tickListenerCount === before + 1);
      expect((await writer.query('SELECT count(*)::int AS n FROM slow_t')).rows).toEqual([{ n: 16_000 }]);
      slow.socket.resume();
      const msgs = await slow.readUntil('Z', 20_000);
      const err = errorFields(msgs.find((x) => x.type === 'E')!.body);
      expect(err).toMatchObject({ C: '54000', M: 'subscribe has been terminated because the client fell more than 500 rows behind' });
      expect(types(msgs)).toMatch(/^d*EZ$/);
      fast.end();
      slow.end();
    } finally {
      server.weir.coord.subscribeBufferRows = limit;
    }
  });
});

describe('node-postgres: DECLARE … CURSOR FOR SUBSCRIBE and FETCH', () => {
  test('FETCH with a timeout returns what is there; FETCH n at most n rows', async () => {
    await writer.query('CREATE TABLE cur_t (id int PRIMARY KEY, s text)');
    await writer.query("INSERT INTO cur_t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const c = await connect();
    await c.query('BEGIN');
    await c.query('DECLARE c CURSOR FOR SUBSCRIBE cur_t');
    const first = await c.query('FETCH 2 c');
    expect(first.command).toBe('FETCH');
    expect(first.fields.map((f) => f.name)).toEqual(['mz_timestamp', 'mz_diff', 'id', 's']);
    expect(first.rows.map((r) => [r.mz_diff, r.id, r.s])).toEqual([
      ['1', 1, 'a'],
      ['1', 2, 'b'],
    ]);
    const rest = await c.query("FETCH ALL c WITH (timeout = '1s')");
    expect(rest.rows.map((r) => r.id)).toEqual([3]);
    const started = Date.now();
    const none = await c.query("FETCH ALL FROM c WITH (timeout = '300ms')");
    expect(none.rows).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // A FETCH waits for the next commit (no timeout: as long as it takes).
    const waiting = c.query('FETCH ALL c');
    await new Promise((r) => setTimeout(r, 100));
    await writer.query("UPDATE cur_t SET s = 'B' WHERE id = 2");
    const next = await waiting;
    expect(next.rows.map((r) => [r.mz_diff, r.id, r.s])).toEqual([
      ['-1', 2, 'b'],
      ['1', 2, 'B'],
    ]);
    expect(Number(next.rows[0].mz_timestamp)).toBeGreaterThan(Number(first.rows[0].mz_timestamp));
    await c.query('COMMIT');
    await expect(c.query('FETCH ALL c')).rejects.toMatchObject({ code: '34000', message: 'cursor "c" does not exist' });
  });

  test('DECLARE outside a transaction block, a taken name, a bad option, CLOSE', async () => {
    const c = await connect();
    await expect(c.query('DECLARE x CURSOR FOR SUBSCRIBE cur_t')).rejects.toMatchObject({ code: '25P01' });
    await c.query('BEGIN');
    await c.query('DECLARE x CURSOR FOR SUBSCRIBE cur_t WITH (SNAPSHOT = false)');
    await expect(c.query('DECLARE x CURSOR FOR SUBSCRIBE cur_t')).rejects.toMatchObject({ code: '42P03' });
    await c.query('ROLLBACK');
    await c.query('BEGIN');
    await expect(c.query('DECLARE y CURSOR FOR SUBSCRIBE cur_t WITH (SNAPSHOT = maybe)')).rejects.toMatchObject({ code: '22023' });
    await c.query('ROLLBACK');
    await c.query('BEGIN');
    await c.query('DECLARE z CURSOR FOR SUBSCRIBE cur_t WITH (SNAPSHOT = false)');
    expect((await c.query("FETCH ALL z WITH (timeout = '0s')")).rows).toEqual([]);
    expect((await c.query('CLOSE z')).command).toBe('CLOSE');
    await expect(c.query('FETCH ALL z')).rejects.toMatchObject({ code: '34000' });
    await c.query('COMMIT');
  });

  test('DECLARE … CURSOR FOR SELECT pages through the rows', async () => {
    const c = await connect();
    await c.query('BEGIN');
    await c.query('DECLARE s CURSOR FOR SELECT id FROM cur_t ORDER BY id');
    expect((await c.query('FETCH 2 FROM s')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect((await c.query('FETCH ALL s')).rows).toEqual([{ id: 3 }]);
    expect((await c.query('FETCH ALL s')).rows).toEqual([]);
    await expect(c.query('FETCH BACKWARD 1 s')).rejects.toMatchObject({ code: '0A000' });
    await c.query('ROLLBACK');
  });

  test('two subscribers while writes stream in: each sees exactly the changes, up to the last tick', async () => {
    await writer.query('CREATE TABLE flow (k int PRIMARY KEY, g int, v int)');
    await writer.query('CREATE MATERIALIZED VIEW flow_sum AS SELECT g, count(*) AS n, sum(v) AS s FROM flow GROUP BY g');
    await writer.query('INSERT INTO flow SELECT i, i % 5, i FROM generate_series(1, 50) AS i');

    const subscribers = [
      { name: 'a', target: 'flow_sum' }, // the view's stored changes
      { name: 'b', target: '(SELECT g, count(*) AS n, sum(v) AS s FROM flow GROUP BY g)' }, // a dataflow in memory
    ];
    const readers = await Promise.all(
      subscribers.map(async (s) => {
        const c = await connect();
        await c.query('BEGIN');
        await c.query(`DECLARE ${s.name} CURSOR FOR SUBSCRIBE ${s.target} WITH (PROGRESS)`);
        return { ...s, c, rows: [] as Record<string, string | boolean | null>[] };
      }),
    );

    let writing = true;
    const reading = readers.map(async (r) => {
      for (;;) {
        const res = await r.c.query(`FETCH ALL ${r.name} WITH (timeout = '50ms')`);
        r.rows.push(...res.rows);
        if (!writing && r.rows.some((x) => x.mz_progressed && Number(x.mz_timestamp) > finalTick)) return;
      }
    });
    let finalTick = Infinity;
    // Random inserts, updates and deletes, one transaction or statement each.
    let next = 51;
    for (let i = 0; i < 60; i++) {
      const k = 1 + ((i * 37) % (next - 1));
      switch (i % 4) {
        case 0:
          await writer.query(`INSERT INTO flow VALUES (${next}, ${next % 7}, ${i}), (${next + 1}, ${(next + 1) % 7}, ${-i})`);
          next += 2;
          break;
        case 1:
          await writer.query(`UPDATE flow SET v = v + 1, g = (g + 1) % 6 WHERE k % 9 = ${i % 9}`);
          break;
        case 2:
          await writer.query(`DELETE FROM flow WHERE k = ${k}`);
          break;
        case 3:
          await writer.query(`BEGIN; INSERT INTO flow VALUES (${next}, 1, 1); DELETE FROM flow WHERE k = ${k + 1}; COMMIT`);
          next += 1;
          break;
      }
    }
    finalTick = server.weir.coord.tick;
    writing = false;
    await Promise.all(reading);

    const contents = (await writer.query('SELECT g, n, s FROM flow_sum')).rows.map((r) => `${r.g}|${r.n}|${r.s}`).sort();
    for (const r of readers) {
      const multiset = new Map<string, number>();
      let progressed = 0;
      let lastTs = 0;
      for (const row of r.rows) {
        const ts = Number(row.mz_timestamp);
        expect(ts).toBeGreaterThanOrEqual(lastTs);
        lastTs = ts;
        if (row.mz_progressed) {
          progressed = ts;
          continue;
        }
        // A change is never stamped below a progress row already given.
        expect(ts).toBeGreaterThanOrEqual(progressed);
        if (ts > finalTick) continue;
        const key = `${row.g}|${row.n}|${row.s}`;
        const n = (multiset.get(key) ?? 0) + Number(row.mz_diff);
        expect(n, `${r.name}: ${key} at ${ts}`).toBeGreaterThanOrEqual(0);
        if (n === 0) multiset.delete(key);
        else multiset.set(key, n);
      }
      const seen = [...multiset].flatMap(([k, n]) => Array.from({ length: n }, () => k)).sort();
      expect(seen, `subscriber ${r.name}`).toEqual(contents);
      await r.c.query('COMMIT');
    }
  });
});
