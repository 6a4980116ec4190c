// In-process profile of the write path: prepared single-row INSERTs, B per batch (one tick
// each), into a table feeding a GROUP BY view of 10,000 groups. Prints rows/s (wall and per
// CPU-second) and µs/row split into statement execution and tick commit. Imports dist/:
//   npm run build && N=50 node bench/profile/ingest.mjs
//   node --cpu-prof --cpu-prof-dir=/tmp/cpuprof bench/profile/ingest.mjs
import { Weir } from '../../dist/adapter/weir.js';
import { pino } from 'pino';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/weirprof-');
const weir = await Weir.open({ dataDir: dir, logger: pino({ level: 'silent' }) });
const s = await weir.open(new Map([['user', 'weir']]));
const run = async (sql) => { const p = await s.prepare(sql, []); const r = await s.execute(p, []); await s.endBatch(false); return r; };
await run('CREATE TABLE t (id int PRIMARY KEY, g int, v int)');
await run(process.env.VIEW ?? 'CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
const N = Number(process.env.N ?? 50), B = Number(process.env.B ?? 1000);
const int4 = { kind: 'int4' };
const stmt = await s.prepare('INSERT INTO t VALUES ($1, $2, $3)', [int4, int4, int4]);
let id = 0;
const t0 = performance.now(); const c0 = process.cpuUsage();
let tExec = 0;
for (let b = 0; b < N; b++) {
  const t1 = performance.now();
  for (let i = 0; i < B; i++) { id++; await s.execute(stmt, [id, id % 10000, id % 97]); }
  tExec += performance.now() - t1;
  await s.endBatch(false);
}
const ms = performance.now() - t0; const cpu = process.cpuUsage(c0); const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(`${(N * B / ms * 1000).toFixed(0)} rows/s wall, ${(N * B / cpuMs * 1000).toFixed(0)} rows/cpu-s; statements ${(tExec / (N*B) * 1000).toFixed(1)} µs/row, ticks ${((ms - tExec) / (N*B) * 1000).toFixed(1)} µs/row`);
await weir.close();
{
  const weir2 = await Weir.open({ dataDir: dir, logger: pino({ level: 'silent' }) });
  const s2 = await weir2.open(new Map([['user', 'weir']]));
  const q = await s2.prepare('SELECT * FROM agg WHERE g = $1', [int4]);
  const M = 20000; const t0 = performance.now();
  for (let i = 0; i < M; i++) { const r = await s2.execute(q, [i % 10000]); if (r.rows.length !== 1) throw new Error('bad ' + JSON.stringify(r)); }
  const ms = performance.now() - t0;
  console.log(`point select: ${(M / ms * 1000).toFixed(0)} q/s, ${(ms / M * 1000).toFixed(1)} µs/q`);
  await weir2.close();
}
