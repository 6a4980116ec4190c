import { readFileSync, readdirSync } from 'node:fs';
import { inProcess } from './test/harness/in-process.js';
const dir = '/work/shared/nexmark/risingwave/';
const db = await inProcess();
db.weir.coord.sourcesPaused = true;
let ddl = readFileSync(dir + 'ddl.sql', 'utf8');
ddl = ddl.replace(/WITH \([^)]*\) FORMAT PLAIN ENCODE JSON/s, "WITH (connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '10000', nexmark.max.emit.speed = 'true', nexmark.max.chunk.size = '1000', nexmark.event.rate = '100', nexmark.base.time = '1767225600000')");
await db.run(ddl);
await db.run("CREATE VIEW bid_filtered AS SELECT * FROM bid WHERE date_time > now() - INTERVAL '1' MINUTE");
const only = process.argv[2] ? new RegExp(process.argv[2]) : /./;
const mv = process.argv[3] !== 'nomv';
const times: [string, number][] = [];
db.weir.coord.onSourceTick = undefined;
for (const f of readdirSync(dir).filter((f) => /^q.*\.sql$/.test(f) && only.test(f)).sort()) {
  const q = readFileSync(dir + f, 'utf8').replace(/\$\{[A-Z0-9_]*\}/g, (m) => m.includes('SIDE_INPUT') ? '1000' : 'false');
  try { await db.run(q); } catch { }
  const m = /CREATE\s+SINK\s+(\w+)\s+AS\s+([\s\S]*?)\s*WITH\s*\(\s*connector\s*=\s*'blackhole'[^)]*\)\s*;?\s*$/i.exec(q);
  if (mv && m) try { await db.run(`CREATE MATERIALIZED VIEW ${m[1]}_v AS ${m[2]}`); } catch {}
}
const t0 = Date.now();
db.weir.coord.sourcesPaused = false;
for (;;) {
  const [[p]] = await db.rows('SELECT position FROM weir_source_stats') as [[bigint]];
  if (Number(p) >= 10000) break;
  await new Promise((r) => setTimeout(r, 10));
}
console.log('ms', Date.now() - t0);
await db.close();
