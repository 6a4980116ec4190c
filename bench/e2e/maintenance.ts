/**
 * Maintenance benchmark (issue 2): N single-row INSERTs, sent as prepared-statement batches
 * (many Bind/Execute, one Sync: one tick per batch), into a table that feeds
 *   group-by: a GROUP BY view of 10,000 groups (count, sum);
 *   join:     a two-table join view (each row joined with one of 10,000 dimension rows).
 * Reports input rows per second (wall clock, server on its own core) and per second of
 * server CPU, as the median of RUNS runs, each on a fresh server and data directory.
 *
 *   npm run build && npx tsx bench/e2e/maintenance.ts            # ROWS=1000000 BATCH=1000 RUNS=3 IN_FLIGHT=2
 *
 * A/B: ROOTS=/path/to/other/checkout,. runs each build in turn (run 1 of A, run 1 of B, run 2
 * of A, …), so that both see the same noise; each checkout must be built. SCENARIOS=join
 * runs only the named scenarios. "On one core", strictly (LevelDB's and the GC's threads too):
 *   SERVER_CPUS=0 taskset -c 1 npx tsx bench/e2e/maintenance.ts
 */
import pg from 'pg';
import { WireClient } from './wire-client.js';
import { machine, median, newDataDir, progress, removeDataDir, startServer } from './server.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 1000);
/** Batches sent before waiting for the oldest one's ReadyForQuery. */
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 2);
const RUNS = Number(process.env.RUNS ?? 3);
const GROUPS = 10_000;
const INT4 = 23;

interface Scenario {
  name: string;
  setup: string[];
  check: string;
  expected: (rows: number) => string;
}

const scenarios: Scenario[] = [
  {
    name: 'group-by',
    setup: [
      'CREATE TABLE t (id int PRIMARY KEY, g int, v int)',
      'CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g',
    ],
    check: 'SELECT sum(n) AS total FROM agg',
    expected: (rows) => String(rows),
  },
  {
    name: 'join',
    setup: [
      'CREATE TABLE d (g int PRIMARY KEY, name text)',
      'CREATE TABLE t (id int PRIMARY KEY, g int, v int)',
      'CREATE MATERIALIZED VIEW j AS SELECT t.id, t.v, d.name FROM t JOIN d ON t.g = d.g',
    ],
    check: 'SELECT count(*) AS total FROM j',
    expected: (rows) => String(rows),
  },
];

const ROOTS = (process.env.ROOTS ?? '').split(',').filter(Boolean);
const ONLY = (process.env.SCENARIOS ?? '').split(',').filter(Boolean);

async function runOnce(s: Scenario, buildRoot: string | undefined): Promise<{ rowsPerSec: number; rowsPerCpuSec: number }> {
  const dataDir = newDataDir();
  const server = await startServer(dataDir, buildRoot);
  try {
    const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
    await admin.connect();
    for (const sql of s.setup) await admin.query(sql);
    if (s.name === 'join') {
      const values = Array.from({ length: GROUPS }, (_, i) => `(${i}, 'g${i}')`).join(',');
      await admin.query(`INSERT INTO d VALUES ${values}`);
    }
    const client = await WireClient.connect(server.port);
    await client.prepare('ins', 'INSERT INTO t VALUES ($1, $2, $3)', [INT4, INT4, INT4]);
    const cpu0 = server.cpuMs();
    const t0 = performance.now();
    let inFlight: Promise<void>[] = [];
    for (let start = 0; start < ROWS; start += BATCH) {
      const rows: string[][] = [];
      for (let id = start; id < Math.min(ROWS, start + BATCH); id++) rows.push([String(id), String(id % GROUPS), String(id % 97)]);
      inFlight.push(client.executeBatch('ins', rows));
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
      if ((start / BATCH) % 200 === 0) progress(`${s.name}: ${start.toLocaleString()} rows sent`);
    }
    await Promise.all(inFlight);
    inFlight = [];
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = (server.cpuMs() - cpu0) / 1000;
    if (client.errors.length > 0) throw new Error(`errors: ${client.errors.slice(0, 3).join('; ')}`);
    const got = (await admin.query(s.check)).rows[0].total;
    if (String(got) !== s.expected(ROWS)) throw new Error(`${s.name}: view holds ${got}, expected ${s.expected(ROWS)}`);
    client.close();
    await admin.end();
    return { rowsPerSec: ROWS / seconds, rowsPerCpuSec: ROWS / cpuSeconds };
  } finally {
    await server.stop();
    removeDataDir(dataDir);
  }
}

progress(`machine: ${machine()}; rows ${ROWS}, batch ${BATCH}, runs ${RUNS}`);
const builds: (string | undefined)[] = ROOTS.length > 0 ? ROOTS : [undefined];
const lines = ['| build | view | rows | batch | rows/s (median) | rows per server CPU-second (median) | runs (rows/s) |', '|---|---|---|---|---|---|---|'];
for (const s of scenarios) {
  if (ONLY.length > 0 && !ONLY.includes(s.name)) continue;
  const results = builds.map(() => [] as { rowsPerSec: number; rowsPerCpuSec: number }[]);
  for (let r = 0; r < RUNS; r++) {
    for (let b = 0; b < builds.length; b++) {
      const res = await runOnce(s, builds[b]);
      progress(`${s.name} ${builds[b] ?? '.'} run ${r + 1}: ${res.rowsPerSec.toFixed(0)} rows/s, ${res.rowsPerCpuSec.toFixed(0)} rows/cpu-s`);
      results[b]!.push(res);
    }
  }
  for (let b = 0; b < builds.length; b++) {
    const rs = results[b]!;
    lines.push(
      `| ${builds[b] ?? '.'} | ${s.name} | ${ROWS.toLocaleString('en')} | ${BATCH} | ${median(rs.map((r) => r.rowsPerSec)).toFixed(0)} | ${median(rs.map((r) => r.rowsPerCpuSec)).toFixed(0)} | ${rs.map((r) => r.rowsPerSec.toFixed(0)).join(' · ')} |`,
    );
  }
}
console.log(lines.join('\n'));
