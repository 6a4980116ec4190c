// The in-process write path with a two-table join view (bench/profile/ingest.mjs, adapted):
// d(g, name) holds G rows; N batches of B single-row prepared INSERTs into t, one tick per
// batch, each row joining one d row. Prints rows/s (wall and CPU) and µs/row split into
// statement execution vs tick commit. Run `npm run build` first (imports dist/).
//   N=50 B=1000 G=10000 node bench/profile/join.mjs
const { Weir } = await import((process.env.DIST ?? '../../dist') + '/adapter/weir.js');
import { pino } from 'pino';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/weirprof-');
const weir = await Weir.open({ dataDir: dir, logger: pino({ level: 'silent' }) });
const s = await weir.open(new Map([['user', 'weir']]));
const run = async (sql) => { const p = await s.prepare(sql, []); const r = await s.execute(p, []); await s.endBatch(false); return r; };
const N = Number(process.env.N ?? 50), B = Number(process.env.B ?? 1000), G = Number(process.env.G ?? 10000);
await run('CREATE TABLE t (id int PRIMARY KEY, g int, v int)');
await run('CREATE TABLE d (g int PRIMARY KEY, name text)');
{
  const ins = await s.prepare('INSERT INTO d VALUES ($1, $2)', [{ kind: 'int4' }, { kind: 'text' }]);
  for (let g = 0; g < G; g++) await s.execute(ins, [g, `name ${g}`]);
  await s.endBatch(false);
}
await run(process.env.VIEW ?? 'CREATE MATERIALIZED VIEW j AS SELECT t.id, t.v, d.name FROM t JOIN d ON t.g = d.g');
const int4 = { kind: 'int4' };
const stmt = await s.prepare('INSERT INTO t VALUES ($1, $2, $3)', [int4, int4, int4]);
let id = 0;
const t0 = performance.now(); const c0 = process.cpuUsage();
let tExec = 0;
for (let b = 0; b < N; b++) {
  const t1 = performance.now();
  for (let i = 0; i < B; i++) { id++; await s.execute(stmt, [id, id % G, id % 97]); }
  tExec += performance.now() - t1;
  await s.endBatch(false);
}
const ms = performance.now() - t0; const cpu = process.cpuUsage(c0); const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(`${(N * B / ms * 1000).toFixed(0)} rows/s wall, ${(N * B / cpuMs * 1000).toFixed(0)} rows/cpu-s; statements ${(tExec / (N*B) * 1000).toFixed(1)} µs/row, ticks ${((ms - tExec) / (N*B) * 1000).toFixed(1)} µs/row`);
const q = await s.prepare('SELECT count(*) FROM j', []);
console.log('rows in view', (await s.execute(q, [])).rows);
await weir.close();
