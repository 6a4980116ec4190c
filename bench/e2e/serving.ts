/**
 * Serving benchmark (issue 2): a prepared point SELECT on a materialized view (GROUP BY of
 * 10,000 groups over ROWS rows), from CONNECTIONS node-postgres connections in a closed loop
 * for SECONDS seconds. Reports queries per second and client-side latency p50 / p99, as the
 * median of RUNS runs against one server.
 *
 *   npm run build && npx tsx bench/e2e/serving.ts     # ROWS=100000 CONNECTIONS=8 SECONDS=10 RUNS=3
 *
 * SIMPLE=N: simple-protocol queries instead, the key written in the text, cycling over N keys
 * (a dashboard polling the same few texts: each is planned once, adapter/plan-cache.ts, which
 * keeps 64 per session, so N above 64 plans every query).
 */
import pg from 'pg';
import { WireClient } from './wire-client.js';
import { machine, median, newDataDir, percentile, progress, removeDataDir, startServer } from './server.js';

const ROWS = Number(process.env.ROWS ?? 100_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const SECONDS = Number(process.env.SECONDS ?? 10);
const RUNS = Number(process.env.RUNS ?? 3);
const SIMPLE = process.env.SIMPLE === undefined ? 0 : Number(process.env.SIMPLE);
const GROUPS = 10_000;

progress(`machine: ${machine()}; rows ${ROWS}, connections ${CONNECTIONS}, ${SECONDS}s × ${RUNS} runs`);
const dataDir = newDataDir();
const server = await startServer(dataDir);
try {
  const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
  await admin.connect();
  await admin.query('CREATE TABLE t (id int PRIMARY KEY, g int, v int)');
  await admin.query('CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
  const loader = await WireClient.connect(server.port);
  await loader.prepare('ins', 'INSERT INTO t VALUES ($1, $2, $3)', [23, 23, 23]);
  for (let start = 0; start < ROWS; start += 5000) {
    const rows: string[][] = [];
    for (let id = start; id < Math.min(ROWS, start + 5000); id++) rows.push([String(id), String(id % GROUPS), String(id % 97)]);
    await loader.executeBatch('ins', rows);
  }
  loader.close();
  progress(`loaded ${ROWS} rows`);

  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
      await c.connect();
      return c;
    }),
  );
  const query = { name: 'point', text: 'SELECT * FROM agg WHERE g = $1' };
  const runs: { qps: number; p50: number; p99: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const latencies: number[] = [];
    const cpu0 = server.cpuMs();
    const deadline = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c, i) => {
        let k = i;
        while (performance.now() < deadline) {
          const q0 = performance.now();
          const res = SIMPLE > 0 ? await c.query(`SELECT * FROM agg WHERE g = ${k % SIMPLE}`) : await c.query({ ...query, values: [k % GROUPS] });
          latencies.push(performance.now() - q0);
          if (res.rows.length !== 1) throw new Error(`group ${k}: ${res.rows.length} rows`);
          k += CONNECTIONS;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const run = { qps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    const busy = (server.cpuMs() - cpu0) / 10 / seconds;
    progress(`run ${r + 1}: ${run.qps.toFixed(0)} q/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, server CPU ${busy.toFixed(0)}%`);
    runs.push(run);
  }
  await Promise.all(clients.map((c) => c.end()));
  await admin.end();
  console.log(SIMPLE > 0 ? `simple queries over ${SIMPLE} texts` : 'a prepared statement');
  console.log('| connections | queries/s (median) | p50 ms | p99 ms | runs (q/s) |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${CONNECTIONS} | ${median(runs.map((r) => r.qps)).toFixed(0)} | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} | ${runs.map((r) => r.qps.toFixed(0)).join(', ')} |`,
  );
} finally {
  await server.stop();
  removeDataDir(dataDir);
}
