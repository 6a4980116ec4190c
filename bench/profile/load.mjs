// In-process profile of loading operator state after a restart: ROWS rows feeding a GROUP
// BY, a join+GROUP BY and a global top-k view; then the database is reopened and each view's
// state loaded (Dataflow.warm) and timed. Imports dist/:
//   npm run build && ROWS=200000 node bench/profile/load.mjs
import { Weir } from '../../dist/adapter/weir.js';
import { pino } from 'pino';
import { mkdtempSync } from 'node:fs';
// DIR=<data dir of an earlier run> skips building the data.
const dir = process.env.DIR ?? mkdtempSync('/tmp/weirprof-');
const ROWS = Number(process.env.ROWS ?? 200000);
const logger = pino({ level: process.env.LOG ?? 'silent' });
if (!process.env.DIR) {
  console.log(`data in ${dir}`);
  const weir = await Weir.open({ dataDir: dir, logger });
  const s = await weir.open(new Map([['user', 'weir']]));
  const run = async (sql, params = []) => { const p = await s.prepare(sql, []); const r = await s.execute(p, params); return r; };
  await run('CREATE TABLE d (g int PRIMARY KEY, name text)');
  await run(`INSERT INTO d VALUES ${Array.from({ length: 10000 }, (_, i) => `(${i}, 'g${i}')`).join(',')}`); await s.endBatch(false);
  await run('CREATE TABLE t (id int PRIMARY KEY, g int, v int)');
  await run('CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
  await run('CREATE MATERIALIZED VIEW j AS SELECT d.name, count(*) AS n FROM t JOIN d ON t.g = d.g GROUP BY d.name');
  await run('CREATE MATERIALIZED VIEW top AS SELECT id, v FROM t ORDER BY v DESC, id LIMIT 10');
  const int4 = { kind: 'int4' };
  const ins = await s.prepare('INSERT INTO t VALUES ($1, $2, $3)', [int4, int4, int4]);
  for (let id = 0; id < ROWS; id++) { await s.execute(ins, [id, id % 10000, id % 9973]); if (id % 5000 === 4999) await s.endBatch(false); }
  await s.endBatch(false);
  await weir.close();
}
const weir = await Weir.open({ dataDir: dir, logger });
const t0 = performance.now();
const c0 = process.cpuUsage();
for (const item of weir.coord.catalog.relations()) {
  if (item.kind !== 'materialized-view') continue;
  const t1 = performance.now();
  await weir.coord.dataflowFor(item.id).warm();
  console.log(`${item.name}: ${(performance.now() - t1).toFixed(0)} ms`);
}
const cpu = process.cpuUsage(c0);
console.log(`all: ${(performance.now() - t0).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu for ${ROWS} rows`);
await weir.close();
