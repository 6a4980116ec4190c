// Crash safety (DESIGN §5): a server child process under a write load is killed with SIGKILL
// at a random moment, three times, and restarted on the same data directory. After each
// restart: every acknowledged write is there, the statement in flight is all there or not
// at all, and every view equals its query run by Postgres (PGlite) over the table contents.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { startServerProcess } from '../harness/server-process.js';
import { tempDataDir } from '../harness/weir-server.js';

const VIEWS: [string, string][] = [
  ['per_k', 'SELECT k, count(*) AS n, sum(v) AS s, max(v) AS mx FROM events GROUP BY k'],
  ['k_names', 'SELECT e.k, n.name, count(*) AS n FROM events e JOIN names n ON e.k = n.k GROUP BY e.k, n.name'],
];

describe('kill -9 during a write load', () => {
  test('loses nothing committed and counts nothing twice', async () => {
    const dataDir = tempDataDir();
    let server = await startServerProcess(dataDir);
    let client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE events (id int PRIMARY KEY, k int, v int)');
    await client.query('CREATE TABLE names (k int PRIMARY KEY, name text)');
    await client.query("INSERT INTO names VALUES (0,'zero'),(1,'one'),(2,'two'),(3,'three')");
    for (const [name, sql] of VIEWS) await client.query(`CREATE MATERIALIZED VIEW ${name} AS ${sql}`);
    await client.end();

    const acked = new Map<number, number>(); // id → v, for acknowledged writes
    let nextId = 1;
    for (let round = 0; round < 3; round++) {
      client = new pg.Client({ connectionString: server.url });
      client.on('error', () => undefined);
      await client.connect();
      let inFlight: number[] = [];
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          const ids = Array.from({ length: 20 }, () => nextId++);
          inFlight = ids;
          const values = ids.map((id) => `(${id}, ${id % 7}, ${id % 13})`).join(',');
          try {
            await client.query(`INSERT INTO events VALUES ${values}`);
          } catch {
            return;
          }
          for (const id of ids) acked.set(id, id % 13);
          inFlight = [];
          if (ids[0]! % 3 === 0) {
            const victim = ids[0]! - 10;
            try {
              await client.query(`DELETE FROM events WHERE id = ${victim}`);
            } catch {
              inFlight = [victim];
              return;
            }
            acked.delete(victim);
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await server.kill('SIGKILL');
      stop = true;
      await writer;

      server = await startServerProcess(dataDir);
      client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const rows = (await client.query('SELECT id, v FROM events')).rows as { id: number; v: number }[];
      const stored = new Map(rows.map((r) => [r.id, r.v]));
      // (A row whose DELETE was in flight is judged below with the in-flight statement.)
      for (const [id, v] of acked) if (!inFlight.includes(id)) expect(stored.get(id), `acknowledged row ${id}`).toBe(v);
      // The statement in flight when the server died: all of it or none of it.
      const present = inFlight.filter((id) => stored.has(id) !== acked.has(id));
      expect(present.length === 0 || present.length === inFlight.length).toBe(true);
      for (const id of present) {
        if (stored.has(id)) acked.set(id, stored.get(id)!);
        else acked.delete(id);
      }
      expect(stored.size).toBe(acked.size);

      // Every view equals Postgres over the same table contents.
      const oracle = await PGlite.create();
      await oracle.exec('CREATE TABLE events (id int PRIMARY KEY, k int, v int); CREATE TABLE names (k int PRIMARY KEY, name text)');
      await oracle.exec("INSERT INTO names VALUES (0,'zero'),(1,'one'),(2,'two'),(3,'three')");
      if (rows.length > 0) {
        await oracle.exec(`INSERT INTO events VALUES ${rows.map((r) => `(${r.id}, ${r.id % 7}, ${r.v})`).join(',')}`);
      }
      for (const [name, sql] of VIEWS) {
        const mine = (await client.query(`SELECT * FROM ${name}`)).rows.map((r) => JSON.stringify(Object.values(r).map(String))).sort();
        const theirs = (await oracle.query<Record<string, unknown>>(sql)).rows.map((r) => JSON.stringify(Object.values(r).map(String))).sort();
        expect(mine, `view ${name} after restart ${round + 1}`).toEqual(theirs);
      }
      await oracle.close();
      await client.end();
    }
    expect(acked.size).toBeGreaterThan(100);
    await server.kill("SIGTERM");
  });
});
