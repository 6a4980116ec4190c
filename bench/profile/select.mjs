// In-process profile of a prepared point SELECT on a materialized view (GROUP BY of 10,000
// groups): queries per second, one at a time. Imports dist/:
//   npm run build && M=50000 node bench/profile/select.mjs
import { Weir } from '../../dist/adapter/weir.js';
import { pino } from 'pino';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/weirprof-');
const weir = await Weir.open({ dataDir: dir, logger: pino({ level: 'silent' }) });
const s = await weir.open(new Map([['user', 'weir']]));
const run = async (sql) => { const p = await s.prepare(sql, []); const r = await s.execute(p, []); await s.endBatch(false); return r; };
await run('CREATE TABLE t (id int PRIMARY KEY, g int, v int)');
await run('CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
const vals = []; for (let i = 0; i < 20000; i++) vals.push(`(${i}, ${i % 10000}, ${i % 97})`);
await run(`INSERT INTO t VALUES ${vals.join(',')}`);
const int4 = { kind: 'int4' };
const q = await s.prepare('SELECT * FROM agg WHERE g = $1', [int4]);
const M = Number(process.env.M ?? 20000); const t0 = performance.now();
for (let i = 0; i < M; i++) { const r = await s.execute(q, [i % 10000]); if (r.rows.length !== 1) throw new Error('bad ' + JSON.stringify(r)); }
const ms = performance.now() - t0;
console.log(`point select: ${(M / ms * 1000).toFixed(0)} q/s, ${(ms / M * 1000).toFixed(1)} µs/q`);
await weir.close();
