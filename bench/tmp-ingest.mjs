const { Weir } = await import((process.env.DIST ?? '/work/main/dist') + '/adapter/weir.js');
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

