/**
 * Restart benchmark (issue 2): a data directory holding ROWS rows and three materialized
 * views (GROUP BY, a two-table join, a top-k) is stopped and started again; measured is the
 * time from starting the process to the first answered SELECT on each view, and then the
 * time of the first INSERT (which loads the operators' state). Median of RUNS
 * restarts of the same directory, each stopped with SIGKILL (the worst case: no clean close).
 *
 *   npm run build && npx tsx bench/e2e/restart.ts     # ROWS=1000000 RUNS=3
 */
import pg from 'pg';
import { WireClient } from './wire-client.js';
import { machine, median, newDataDir, progress, removeDataDir, startServer } from './server.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const GROUPS = 10_000;
const VIEWS = ['agg', 'j', 'top'];

progress(`machine: ${machine()}; rows ${ROWS}, runs ${RUNS}`);
const dataDir = newDataDir();
try {
  let server = await startServer(dataDir);
  const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
  await admin.connect();
  await admin.query('CREATE TABLE d (g int PRIMARY KEY, name text)');
  await admin.query(`INSERT INTO d VALUES ${Array.from({ length: GROUPS }, (_, i) => `(${i}, 'g${i}')`).join(',')}`);
  await admin.query('CREATE TABLE t (id int PRIMARY KEY, g int, v int)');
  await admin.query('CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
  await admin.query('CREATE MATERIALIZED VIEW j AS SELECT d.name, count(*) AS n FROM t JOIN d ON t.g = d.g GROUP BY d.name');
  await admin.query('CREATE MATERIALIZED VIEW top AS SELECT id, v FROM t ORDER BY v DESC, id LIMIT 10');
  await admin.end();
  const loader = await WireClient.connect(server.port);
  await loader.prepare('ins', 'INSERT INTO t VALUES ($1, $2, $3)', [23, 23, 23]);
  for (let start = 0; start < ROWS; start += 5000) {
    const rows: string[][] = [];
    for (let id = start; id < Math.min(ROWS, start + 5000); id++) rows.push([String(id), String(id % GROUPS), String(id % 9973)]);
    await loader.executeBatch('ins', rows);
    if (start % 100_000 === 0) progress(`loaded ${start.toLocaleString('en')} rows`);
  }
  if (loader.errors.length > 0) throw new Error(loader.errors[0]);
  loader.close();
  await server.stop('SIGKILL');

  const times: number[] = [];
  const writes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    server = await startServer(dataDir);
    const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
    await c.connect();
    for (const v of VIEWS) await c.query(`SELECT * FROM ${v} LIMIT 1`);
    const ms = performance.now() - t0;
    const total = (await c.query('SELECT sum(n) AS n FROM agg')).rows[0].n;
    if (String(total) !== String(ROWS + r)) throw new Error(`agg holds ${total} rows, expected ${ROWS + r}`);
    // The first write after a start loads each operator's state from LevelDB (lazily).
    const w0 = performance.now();
    await c.query(`INSERT INTO t VALUES (${ROWS + r}, 1, 1)`);
    const writeMs = performance.now() - w0;
    writes.push(writeMs);
    await c.end();
    await server.stop('SIGKILL');
    progress(`restart ${r + 1}: ready and answering all three views after ${ms.toFixed(0)} ms; first write ${writeMs.toFixed(0)} ms`);
    times.push(ms);
  }
  console.log('| rows | views | restart → all views answered, ms (median) | runs (ms) | first write after restart, ms (median) |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${ROWS.toLocaleString('en')} | ${VIEWS.length} | ${median(times).toFixed(0)} | ${times.map((t) => t.toFixed(0)).join(', ')} | ${median(writes).toFixed(0)} |`,
  );
} finally {
  removeDataDir(dataDir);
}
