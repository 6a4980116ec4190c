// Cancelling a running query from node-postgres: `Client.cancel(client, query)` opens a second
// connection and sends a CancelRequest with the first connection's key while that connection's
// SELECT is still evaluating (a sum over a 200 × 200 × 200 cross join, 2–5 s when not
// cancelled: weir has no pg_sleep; a count(*) would not do, since the planner prunes every column
// below the joins and the 8M rows collapse to one row of multiplicity 8M). The evaluation yields to the event loop between slices of its inputs
// (src/adapter/statements/one-shot.ts), so the request is read and the query ends with 57014;
// the connection stays usable, and a later query that is not cancelled gets its full answer.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';

let server: TestServer;
let c: pg.Client;
beforeAll(async () => {
  server = await startTestServer();
  c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query('CREATE TABLE slow (id int PRIMARY KEY)');
  await c.query('INSERT INTO slow SELECT generate_series(0, 199)');
});
afterAll(async () => {
  await c.end();
  await server.close();
});

const CROSS_JOIN = 'SELECT sum(a.id + b.id + c.id) AS n FROM slow a, slow b, slow c';

describe('cancel a running query', () => {
  test('node-postgres Client.cancel gives 57014 and the connection goes on', async () => {
    const query = new pg.Query(CROSS_JOIN);
    const done = new Promise<string>((resolve) => {
      query.on('error', (e: Error & { code?: string }) => resolve(e.code ?? e.message));
      query.on('end', () => resolve('finished'));
    });
    c.query(query);
    await new Promise((r) => setTimeout(r, 200));
    // Client.cancel is node-postgres's own (lib/client.js), missing from @types/pg.
    const canceller = new pg.Client({ connectionString: server.url }) as unknown as { cancel(client: pg.Client, query: pg.Query): void };
    canceller.cancel(c, query);
    expect(await done).toBe('57014');
    const after = await c.query('SELECT 2 AS two');
    expect(after.rows).toEqual([{ two: 2 }]);
  });

  test('the same query, not cancelled, sums every row', async () => {
    const r = await c.query(CROSS_JOIN);
    expect(r.rows).toEqual([{ n: String(3 * 200 * 200 * ((199 * 200) / 2)) }]); // each id appears 200 × 200 times per column
  }, 30_000);
});
