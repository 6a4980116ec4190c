// The benchmarks' wire client (bench/e2e/wire-client.ts) against a real weir: pipelined batches
// of Bind/Execute + Sync store every row (text, NULL and multi-byte values included), a failing
// batch's ErrorResponse is collected and its rows are not stored, and the batches after it run.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WireClient } from '../../bench/e2e/wire-client.js';
import { startTestServer, type TestServer } from '../harness/weir-server.js';

let server: TestServer;
let admin: pg.Client;
beforeAll(async () => {
  server = await startTestServer();
  admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await server.close();
});

describe('WireClient', () => {
  test('pipelined batches store every row; a failing batch is reported and changes nothing', async () => {
    const c = await WireClient.connect(server.port);
    await c.query('CREATE TABLE w (id int PRIMARY KEY, g int, s text)');
    await c.prepare('ins', 'INSERT INTO w VALUES ($1, $2, $3)', [23, 23, 25]);
    const batch = (from: number, n: number): (string | null)[][] =>
      Array.from({ length: n }, (_, i) => [String(from + i), (from + i) % 7 === 0 ? null : String((from + i) % 7), `é${from + i}`]);
    // Three batches in flight; the second repeats a key of the first, so it fails as a whole.
    const sent = [c.executeBatch('ins', batch(0, 2000)), c.executeBatch('ins', [...batch(5000, 10), ['3', '1', 'dup']]), c.executeBatch('ins', batch(2000, 2000))];
    await Promise.all(sent);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toContain('duplicate key value violates unique constraint');
    const r = await admin.query('SELECT count(*)::int AS n, count(g)::int AS g, sum(id)::int8 AS ids, max(s) FILTER (WHERE id = 3999) AS last FROM w');
    expect(r.rows[0]).toEqual({ n: 4000, g: 4000 - Math.ceil(4000 / 7), ids: String((3999 * 4000) / 2), last: 'é3999' });
    c.close();
  });
});
